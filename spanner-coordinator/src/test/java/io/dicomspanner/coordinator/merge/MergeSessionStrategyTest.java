package io.dicomspanner.coordinator.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.config.DeduplicationStrategy;
import io.dicomspanner.common.config.MergePolicy;
import io.dicomspanner.common.query.ResultPage;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * One study replicated partially on three PACS, with differing completeness, as the strategies see it.
 *
 * <p>PACS_A (priority 1) holds the CT half of study S1 and answers sparsely, padding its answer with series attributes
 * nobody asked for. PACS_B (priority 2) holds the CT and PET parts and answers well. PACS_C (priority 3) holds an MR
 * series added later, and answers most completely. S2 is on B and C, S3 on C only.
 */
class MergeSessionStrategyTest {

    static final String S1 = "1.2.840.99.1.1";
    static final String S2 = "1.2.840.99.1.2";
    static final String S3 = "1.2.840.99.1.3";
    private static final int STATION_NAME = 0x00081010;
    private static final int BODY_PART_EXAMINED = 0x00180015;

    static final List<MergeSource> SOURCES = List.of(
            new MergeSource("3", 3, "PACS_C"), new MergeSource("1", 1, "PACS_A"), new MergeSource("2", 2, "PACS_B"));

    static Attributes s1OnA() {
        return new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "20240105")
                .setNull(Tag.STUDY_TIME, VR.TM)
                .setNull(Tag.ACCESSION_NUMBER, VR.SH)
                .setString(Tag.MODALITY, VR.CS, "CT")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                .setString(STATION_NAME, VR.SH, "CT01")
                .setNull(Tag.STUDY_DESCRIPTION, VR.LO)
                .setString(Tag.PATIENT_NAME, VR.PN, "Doe^Jane")
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setString(BODY_PART_EXAMINED, VR.CS, "CHEST")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, S1)
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.840.99.1.1.1")
                .setString(Tag.SERIES_NUMBER, VR.IS, "1")
                .setString(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS, "1")
                .setString(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS, "100");
    }

    static Attributes s1OnB() {
        return new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "20240105")
                .setString(Tag.STUDY_TIME, VR.TM, "101500")
                .setString(Tag.ACCESSION_NUMBER, VR.SH, "A100")
                .setString(Tag.INSTANCE_AVAILABILITY, VR.CS, "NEARLINE")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "PT", "CT")
                .setString(Tag.REFERRING_PHYSICIAN_NAME, VR.PN, "House^Gregory")
                .setString(Tag.STUDY_DESCRIPTION, VR.LO, "PET-CT")
                .setString(Tag.PATIENT_NAME, VR.PN, "Doe^Jane")
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, S1)
                .setString(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS, "2")
                .setString(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS, "250");
    }

    static Attributes s1OnC() {
        return new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "20240105")
                .setString(Tag.STUDY_TIME, VR.TM, "101500")
                .setString(Tag.ACCESSION_NUMBER, VR.SH, "A100")
                .setString(Tag.INSTANCE_AVAILABILITY, VR.CS, "ONLINE")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "MR")
                .setString(Tag.REFERRING_PHYSICIAN_NAME, VR.PN, "House^Gregory")
                .setString(Tag.STUDY_DESCRIPTION, VR.LO, "PET-CT with MR follow-up")
                .setString(Tag.PATIENT_NAME, VR.PN, "Doe^Jane")
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setString(Tag.PATIENT_BIRTH_DATE, VR.DA, "19700101")
                .setString(Tag.PATIENT_SEX, VR.CS, "F")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, S1)
                .setString(Tag.STUDY_ID, VR.SH, "S77")
                .setString(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS, "1")
                .setString(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS, "40");
    }

    static Attributes s2OnB() {
        return new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "20230301")
                .setString(Tag.PATIENT_ID, VR.LO, "P2")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, S2);
    }

    static Attributes s2OnC() {
        return new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "20230301")
                .setString(Tag.STUDY_TIME, VR.TM, "0800")
                .setString(Tag.PATIENT_ID, VR.LO, "P2")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, S2);
    }

    static Attributes s3OnC() {
        return new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "20250720")
                .setString(Tag.PATIENT_ID, VR.LO, "P3")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, S3);
    }

    /** Sources deliver in reverse priority order, the worst case for an engine that trusts arrival order. */
    private static MergeSession mergedSession(MergePolicy policy) {
        MergeSession session = new MergeSession(QueryLevel.STUDY, policy, SOURCES, record -> true);
        session.accept("3", new ArrayList<>(List.of(s3OnC(), s1OnC(), s2OnC())));
        session.sourceFinished("3");
        session.accept("2", new ArrayList<>(List.of(s2OnB(), s1OnB())));
        session.sourceFinished("2");
        session.accept("1", new ArrayList<>(List.of(s1OnA())));
        session.sourceFinished("1");
        return session;
    }

    private static Attributes withAes(Attributes record, String... aes) {
        return record.setString(Tag.RETRIEVE_AE_TITLE, VR.AE, aes);
    }

    @Test
    void firstWinsTakesTheCopyOfTheHighestPrioritySourceWhicheverArrivedFirst() {
        List<Attributes> result = mergedSession(MergePolicy.deduplicating(DeduplicationStrategy.FIRST_WINS))
                .result();

        assertThat(result)
                .containsExactly(
                        withAes(s3OnC(), "PACS_C"),
                        withAes(s1OnA(), "PACS_A", "PACS_B", "PACS_C"),
                        withAes(s2OnB(), "PACS_B", "PACS_C"));
        assertThat(result.get(1).getStrings(Tag.RETRIEVE_AE_TITLE)).containsExactly("PACS_A", "PACS_B", "PACS_C");
    }

    @Test
    void mostCompleteTakesTheCopyWithMostAttributesOfTheStudyLevelIgnoringLowerLevelNoise() {
        // A carries 15 attributes, but 5 of them are series level (Modality, StationName, BodyPartExamined,
        // SeriesInstanceUID, SeriesNumber) and 3 are empty: 7 count. B has 12 non-empty study attributes, C 15.
        assertThat(RecordMerger.completeness(s1OnA(), QueryLevel.STUDY)).isEqualTo(7);
        assertThat(RecordMerger.completeness(s1OnB(), QueryLevel.STUDY)).isEqualTo(12);
        assertThat(RecordMerger.completeness(s1OnC(), QueryLevel.STUDY)).isEqualTo(15);

        List<Attributes> result = mergedSession(MergePolicy.deduplicating(DeduplicationStrategy.MOST_COMPLETE))
                .result();

        assertThat(result)
                .containsExactly(
                        withAes(s3OnC(), "PACS_C"),
                        withAes(s1OnC(), "PACS_A", "PACS_B", "PACS_C"),
                        withAes(s2OnC(), "PACS_B", "PACS_C"));
    }

    @Test
    void mostCompleteBreaksTiesByPriority() {
        MergeSession session = new MergeSession(
                QueryLevel.STUDY,
                MergePolicy.deduplicating(DeduplicationStrategy.MOST_COMPLETE),
                SOURCES,
                record -> true);
        Attributes onC = s2OnB().setString(Tag.STUDY_ID, VR.SH, "FROM_C");
        Attributes onB = s2OnB().setString(Tag.STUDY_ID, VR.SH, "FROM_B");
        session.accept("3", new ArrayList<>(List.of(onC)));
        session.accept("2", new ArrayList<>(List.of(onB)));

        assertThat(session.result()).extracting(r -> r.getString(Tag.STUDY_ID)).containsExactly("FROM_B");
    }

    @Test
    void mergeAllUnitesTheCopiesAttributeByAttributeAndReconcilesTheComputedOnes() {
        List<Attributes> result = mergedSession(MergePolicy.deduplicating(DeduplicationStrategy.MERGE_ALL))
                .result();

        Attributes s1 = new Attributes()
                // from A, the best priority, where A has a value
                .setString(Tag.STUDY_DATE, VR.DA, "20240105")
                .setString(Tag.MODALITY, VR.CS, "CT")
                .setString(STATION_NAME, VR.SH, "CT01")
                .setString(Tag.PATIENT_NAME, VR.PN, "Doe^Jane")
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setString(BODY_PART_EXAMINED, VR.CS, "CHEST")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, S1)
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.840.99.1.1.1")
                .setString(Tag.SERIES_NUMBER, VR.IS, "1")
                // from B where A's is empty or absent
                .setString(Tag.STUDY_TIME, VR.TM, "101500")
                .setString(Tag.ACCESSION_NUMBER, VR.SH, "A100")
                .setString(Tag.REFERRING_PHYSICIAN_NAME, VR.PN, "House^Gregory")
                .setString(Tag.STUDY_DESCRIPTION, VR.LO, "PET-CT")
                // from C, which alone knows them
                .setString(Tag.PATIENT_BIRTH_DATE, VR.DA, "19700101")
                .setString(Tag.PATIENT_SEX, VR.CS, "F")
                .setString(Tag.STUDY_ID, VR.SH, "S77")
                // reconciled: union, maxima, best availability (C's, though B ranks higher)
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "MR", "PT")
                .setString(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS, "2")
                .setString(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS, "250")
                .setString(Tag.INSTANCE_AVAILABILITY, VR.CS, "ONLINE")
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_A", "PACS_B", "PACS_C");
        Attributes s2 = new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "20230301")
                .setString(Tag.STUDY_TIME, VR.TM, "0800")
                .setString(Tag.PATIENT_ID, VR.LO, "P2")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, S2)
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_B", "PACS_C");
        assertThat(result).containsExactly(withAes(s3OnC(), "PACS_C"), s1, s2);
        assertThat(result.get(1).getStrings(Tag.MODALITIES_IN_STUDY)).containsExactly("CT", "MR", "PT");
    }

    @Test
    void mergeAllKeepsAnAttributeEveryCopyHasEmptyPresentAndEmpty() {
        MergeSession session = new MergeSession(
                QueryLevel.STUDY, MergePolicy.deduplicating(DeduplicationStrategy.MERGE_ALL), SOURCES, r -> true);
        session.accept("1", new ArrayList<>(List.of(s3OnC().setNull(Tag.ACCESSION_NUMBER, VR.SH))));
        session.accept("2", new ArrayList<>(List.of(s3OnC().setNull(Tag.ACCESSION_NUMBER, VR.SH))));

        Attributes merged = session.result().get(0);
        assertThat(merged.contains(Tag.ACCESSION_NUMBER)).isTrue();
        assertThat(merged.isEmptyValue(Tag.ACCESSION_NUMBER)).isTrue();
        assertThat(merged.vrOf(Tag.ACCESSION_NUMBER)).isEqualTo(VR.SH);
    }

    @Test
    void countsBeforeAndAfterDeduplication() {
        MergeStatistics stats = mergedSession(MergePolicy.deduplicating(DeduplicationStrategy.FIRST_WINS))
                .statistics();

        assertThat(stats.recordsBeforeDeduplication()).isEqualTo(6);
        assertThat(stats.recordsAfterDeduplication()).isEqualTo(3);
        assertThat(stats.conflicts()).isEmpty();
        assertThat(stats.sources())
                .containsExactly(
                        new SourceStatistics("1", true, 1, 0, 0, 1, 0),
                        new SourceStatistics("2", true, 2, 0, 0, 2, 0),
                        new SourceStatistics("3", true, 3, 0, 0, 3, 0));
    }

    @Test
    void aPageHoldsTheSameResultsInTheSameOrderAsTheWholeAnswer() {
        for (DeduplicationStrategy strategy : DeduplicationStrategy.values()) {
            for (MergePolicy policy : List.of(MergePolicy.deduplicating(strategy), MergePolicy.keepingEveryCopy())) {
                MergeSession session = mergedSession(policy);
                List<Attributes> all = session.result();

                ResultPage<Attributes> page = session.page(1, OptionalInt.of(1), 1000);

                assertThat(page.items()).as("%s", policy).containsExactly(all.get(1));
                assertThat(page.matches()).isEqualTo(all.size());
                assertThat(page.remaining()).isEqualTo(all.size() - 2);
            }
        }
    }

    @Test
    void mergeAllSortsByTheMergedValuesEvenWhenTheBestCopyLacksThem() {
        MergeSession session = new MergeSession(
                QueryLevel.STUDY, MergePolicy.deduplicating(DeduplicationStrategy.MERGE_ALL), SOURCES, r -> true);
        session.accept("1", new ArrayList<>(List.of(s2OnB().setNull(Tag.STUDY_DATE, VR.DA), s3OnC())));
        session.accept("3", new ArrayList<>(List.of(s2OnC().setString(Tag.STUDY_DATE, VR.DA, "20260101"))));

        assertThat(session.page(0, OptionalInt.empty(), 1000).items())
                .extracting(r -> r.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactly(S2, S3);
        assertThat(session.result())
                .extracting(r -> r.getString(Tag.STUDY_DATE))
                .containsExactly("20260101", "20250720");
    }

    @Test
    void strategiesAreNamedAsInTheConfiguration() {
        assertThat(DeduplicationStrategy.ofWire("first_wins")).isEqualTo(DeduplicationStrategy.FIRST_WINS);
        assertThat(DeduplicationStrategy.ofWire("most_complete")).isEqualTo(DeduplicationStrategy.MOST_COMPLETE);
        assertThat(DeduplicationStrategy.ofWire("merge_all")).isEqualTo(DeduplicationStrategy.MERGE_ALL);
        assertThat(DeduplicationStrategy.MERGE_ALL.wire()).isEqualTo("merge_all");
    }
}
