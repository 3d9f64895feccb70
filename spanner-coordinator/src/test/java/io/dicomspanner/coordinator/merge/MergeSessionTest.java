package io.dicomspanner.coordinator.merge;

import static io.dicomspanner.coordinator.merge.MergeSessionStrategyTest.S1;
import static io.dicomspanner.coordinator.merge.MergeSessionStrategyTest.S2;
import static io.dicomspanner.coordinator.merge.MergeSessionStrategyTest.S3;
import static io.dicomspanner.coordinator.merge.MergeSessionStrategyTest.SOURCES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.common.config.DeduplicationStrategy;
import io.dicomspanner.common.config.MergePolicy;
import io.dicomspanner.common.messaging.ConflictingCopies;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.QueryLevel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class MergeSessionTest {

    private static final String S4 = "1.2.840.99.1.4";
    private static final String S5 = "1.2.840.99.1.5";

    private static Attributes study(String uid, String patientId) {
        return new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "20240101")
                .setString(Tag.PATIENT_ID, VR.LO, patientId)
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid);
    }

    private static List<Attributes> batch(Attributes... records) {
        return new ArrayList<>(Arrays.asList(records));
    }

    private static List<String> uids(List<Attributes> records) {
        return records.stream().map(r -> r.getString(Tag.STUDY_INSTANCE_UID)).toList();
    }

    private static List<List<String>> aes(List<Attributes> records) {
        return records.stream()
                .map(r -> Arrays.asList(r.getStrings(Tag.RETRIEVE_AE_TITLE)))
                .toList();
    }

    private static MergeSession session(MergePolicy policy, Predicate<Attributes> recheck) {
        return new MergeSession(QueryLevel.STUDY, policy, SOURCES, recheck);
    }

    @Test
    void firstWinsReleasesARecordOnceEverySourceRankedAboveItsBestCopyHasFinished() {
        MergeSession session = session(MergePolicy.deduplicating(DeduplicationStrategy.FIRST_WINS), r -> true);

        session.accept("3", batch(study(S3, "P3"), study(S1, "P1")));
        assertThat(session.takeFinal())
                .as("A and B may still send better copies")
                .isEmpty();

        session.accept("2", batch(study(S2, "P2"), study(S1, "P1")));
        assertThat(session.takeFinal()).as("A may still send S1 or S2").isEmpty();

        session.accept("1", batch(study(S1, "P1")));
        List<Attributes> fromA = session.takeFinal();
        assertThat(uids(fromA)).as("nothing ranks above A").containsExactly(S1);
        assertThat(aes(fromA)).containsExactly(List.of("PACS_A", "PACS_B", "PACS_C"));

        session.sourceFinished("1");
        List<Attributes> afterA = session.takeFinal();
        assertThat(uids(afterA)).as("B now ranks first among the running").containsExactly(S2);
        assertThat(aes(afterA)).containsExactly(List.of("PACS_B"));

        session.accept("2", batch(study(S4, "P4")));
        assertThat(uids(session.takeFinal())).containsExactly(S4);

        session.sourceFinished("2");
        assertThat(uids(session.takeFinal()))
                .as("C's own record, now unbeatable")
                .containsExactly(S3);

        assertThat(session.accept("1", batch(study(S5, "P5"))))
                .as("A has finished")
                .isFalse();
        session.accept("3", batch(study(S5, "P5"), study(S2, "P2")));
        assertThat(uids(session.takeFinal()))
                .as("S2 was already final; only S5 is new")
                .containsExactly(S5);
        assertThat(session.isComplete()).isFalse();

        session.sourceFinished("3");
        assertThat(session.isComplete()).isTrue();
        assertThat(session.takeFinal()).isEmpty();
        List<Attributes> result = session.result();
        assertThat(uids(result)).containsExactly(S1, S2, S3, S4, S5);
        assertThat(aes(result))
                .as("the full result names C for S2, which the early release could not")
                .containsExactly(
                        List.of("PACS_A", "PACS_B", "PACS_C"),
                        List.of("PACS_B", "PACS_C"),
                        List.of("PACS_C"),
                        List.of("PACS_B"),
                        List.of("PACS_C"));
        assertThat(session.statistics().sources().get(0)).isEqualTo(new SourceStatistics("1", true, 1, 0, 0, 1, 1));
    }

    @Test
    void aBetterCopyReplacesAPendingOneUnderFirstWins() {
        MergeSession session = session(MergePolicy.deduplicating(DeduplicationStrategy.FIRST_WINS), r -> true);
        session.accept("3", batch(study(S1, "P1").setString(Tag.STUDY_ID, VR.SH, "C")));
        session.accept("2", batch(study(S1, "P1").setString(Tag.STUDY_ID, VR.SH, "B")));
        session.sourceFinished("1");

        List<Attributes> released = session.takeFinal();
        assertThat(released).extracting(r -> r.getString(Tag.STUDY_ID)).containsExactly("B");
        session.sourceFinished("2");
        assertThat(session.takeFinal()).as("S1 is given out once").isEmpty();
    }

    @Test
    void otherStrategiesReleaseNothingUntilEverySourceHasFinished() {
        for (DeduplicationStrategy strategy :
                List.of(DeduplicationStrategy.MOST_COMPLETE, DeduplicationStrategy.MERGE_ALL)) {
            MergeSession session = session(MergePolicy.deduplicating(strategy), r -> true);
            session.accept("1", batch(study(S1, "P1")));
            session.sourceFinished("1");
            session.accept("2", batch(study(S2, "P2")));
            session.sourceFinished("2");
            assertThat(session.takeFinal()).as(strategy.wire()).isEmpty();

            session.sourceFinished("3");
            assertThat(uids(session.takeFinal())).as(strategy.wire()).containsExactlyInAnyOrder(S1, S2);
            assertThat(session.takeFinal()).isEmpty();
        }
    }

    @Test
    void copiesWithTheSameUidButDifferentPatientIdsAreReportedAndStillMerged() {
        MergeSession session = session(MergePolicy.deduplicating(DeduplicationStrategy.FIRST_WINS), r -> true);
        session.accept("3", batch(study(S1, "X-99"), study(S2, "P2")));
        session.accept("2", batch(study(S1, "P1"), study(S2, "P2")));
        session.accept("1", batch(study(S1, "P1"), new Attributes().setString(Tag.STUDY_INSTANCE_UID, VR.UI, S2)));

        MergeStatistics stats = session.statistics();
        assertThat(stats.conflicts()).containsExactly(new ConflictingCopies(S1, List.of("1", "2", "3")));
        assertThat(stats.recordsAfterDeduplication()).isEqualTo(2);
        List<Attributes> result = session.result();
        assertThat(result).extracting(r -> r.getString(Tag.PATIENT_ID)).containsExactly("P1", null);
        assertThat(aes(result))
                .containsExactly(List.of("PACS_A", "PACS_B", "PACS_C"), List.of("PACS_A", "PACS_B", "PACS_C"));
    }

    @Test
    void withDeduplicationOffEveryCopyIsAResultNamingOnlyItsOwnSource() {
        MergeSession session = session(MergePolicy.keepingEveryCopy(), r -> true);
        session.accept("3", batch(study(S1, "P1").setString(Tag.STUDY_ID, VR.SH, "C")));
        session.accept("1", batch(study(S1, "P1").setString(Tag.STUDY_ID, VR.SH, "A")));
        session.accept("2", batch(study(S1, "Q7").setString(Tag.STUDY_ID, VR.SH, "B"), study(S2, "P2")));

        assertThat(uids(session.takeFinal())).as("final on arrival").containsExactly(S1, S1, S1, S2);
        List<Attributes> result = session.result();
        assertThat(result)
                .containsExactly(
                        study(S1, "P1")
                                .setString(Tag.STUDY_ID, VR.SH, "A")
                                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_A"),
                        study(S1, "Q7")
                                .setString(Tag.STUDY_ID, VR.SH, "B")
                                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_B"),
                        study(S1, "P1")
                                .setString(Tag.STUDY_ID, VR.SH, "C")
                                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_C"),
                        study(S2, "P2").setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_B"));
        MergeStatistics stats = session.statistics();
        assertThat(stats.recordsBeforeDeduplication()).isEqualTo(4);
        assertThat(stats.recordsAfterDeduplication()).isEqualTo(4);
        assertThat(stats.conflicts()).containsExactly(new ConflictingCopies(S1, List.of("1", "2", "3")));
    }

    @Test
    void theRecheckDropsRecordsAPacsShouldNotHaveReturnedAndCountsThemPerSource() {
        Predicate<Attributes> modalityCt =
                r -> Arrays.asList(r.getStrings(Tag.MODALITIES_IN_STUDY)).contains("CT");
        MergeSession session = session(MergePolicy.deduplicating(DeduplicationStrategy.MERGE_ALL), modalityCt);
        session.accept(
                "1",
                batch(
                        study(S1, "P1").setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "PT"),
                        study(S2, "P2").setString(Tag.MODALITIES_IN_STUDY, VR.CS, "MR")));
        session.accept(
                "2",
                batch(
                        study(S3, "P3").setString(Tag.MODALITIES_IN_STUDY, VR.CS, "US"),
                        study(S2, "P2").setString(Tag.MODALITIES_IN_STUDY, VR.CS, "MR"),
                        new Attributes()
                                .setString(Tag.PATIENT_ID, VR.LO, "P9")
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")));
        for (MergeSource s : SOURCES) {
            session.sourceFinished(s.id());
        }

        assertThat(uids(session.result())).containsExactly(S1);
        MergeStatistics stats = session.statistics();
        assertThat(stats.sources())
                .containsExactly(
                        new SourceStatistics("1", true, 2, 1, 0, 1, 0),
                        new SourceStatistics("2", true, 3, 2, 1, 0, 0),
                        new SourceStatistics("3", true, 0, 0, 0, 0, 0));
        assertThat(stats.recordsBeforeDeduplication()).isEqualTo(1);
    }

    @Test
    void textFromSourcesInDifferentCharacterSetsIsDecodedBeforeMerging() {
        byte[] latin1Name = "M\u00fcller^Hans".getBytes(StandardCharsets.ISO_8859_1);
        byte[] utf8Description = "Thorax \u00e4rztlich".getBytes(StandardCharsets.UTF_8);
        Attributes fromA = study(S1, "P1")
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100")
                .setBytes(Tag.PATIENT_NAME, VR.PN, latin1Name)
                .setNull(Tag.STUDY_DESCRIPTION, VR.LO);
        Attributes fromB = study(S1, "P1")
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192")
                .setBytes(Tag.STUDY_DESCRIPTION, VR.LO, utf8Description);
        List<String> namesSeenByRecheck = new ArrayList<>();
        MergeSession session = session(MergePolicy.deduplicating(DeduplicationStrategy.MERGE_ALL), r -> {
            namesSeenByRecheck.add(String.valueOf(r.getValue(Tag.PATIENT_NAME)));
            return true;
        });
        session.accept("1", batch(fromA));
        session.accept("2", batch(fromB));

        Attributes merged = session.result().get(0);
        assertThat(merged.contains(Tag.SPECIFIC_CHARACTER_SET)).isFalse();
        assertThat(merged.getValue(Tag.PATIENT_NAME)).isEqualTo("M\u00fcller^Hans");
        assertThat(merged.getValue(Tag.STUDY_DESCRIPTION)).isEqualTo("Thorax \u00e4rztlich");
        assertThat(namesSeenByRecheck).containsExactly("M\u00fcller^Hans", "null");
    }

    @Test
    void sequenceItemsAreDecodedWithTheCharacterSetOfTheirDataSet() {
        Attributes record = study(S1, "P1").setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100");
        int procedureCodeSequence = 0x00081032;
        int codeMeaning = 0x00080104;
        record.newSequence(procedureCodeSequence)
                .addItem()
                .setBytes(codeMeaning, VR.LO, "R\u00f6ntgen".getBytes(StandardCharsets.ISO_8859_1));
        MergeSession session = session(MergePolicy.deduplicating(DeduplicationStrategy.FIRST_WINS), r -> true);
        session.accept("1", batch(record));

        Attributes item =
                session.result().get(0).getSequence(procedureCodeSequence).get(0);
        assertThat(item.getValue(codeMeaning)).isEqualTo("R\u00f6ntgen");
    }

    @Test
    void anItemWithItsOwnCharacterSetIsDecodedInsideARecordInTheDefaultRepertoire() {
        int procedureCodeSequence = 0x00081032;
        int codeMeaning = 0x00080104;
        Attributes record = study(S1, "P1");
        record.newSequence(procedureCodeSequence)
                .addItem()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100")
                .setBytes(codeMeaning, VR.LO, "R\u00f6ntgen".getBytes(StandardCharsets.ISO_8859_1));
        MergeSession session = session(MergePolicy.deduplicating(DeduplicationStrategy.FIRST_WINS), r -> true);
        session.accept("1", batch(record));

        Attributes item =
                session.result().get(0).getSequence(procedureCodeSequence).get(0);
        assertThat(item.getValue(codeMeaning)).isEqualTo("R\u00f6ntgen");
        assertThat(item.contains(Tag.SPECIFIC_CHARACTER_SET)).isFalse();
    }

    @Test
    void patientsAreKeyedByIdAndIssuer() {
        MergeSession session = new MergeSession(
                QueryLevel.PATIENT, MergePolicy.deduplicating(DeduplicationStrategy.FIRST_WINS), SOURCES, r -> true);
        Attributes aAtHospA = new Attributes()
                .setString(Tag.PATIENT_NAME, VR.PN, "Doe^Jane")
                .setString(Tag.PATIENT_ID, VR.LO, "12345")
                .setString(Tag.ISSUER_OF_PATIENT_ID, VR.LO, "HOSP_A");
        Attributes bAtHospA = Attributes.copyOf(aAtHospA);
        Attributes bAtHospB = new Attributes()
                .setString(Tag.PATIENT_NAME, VR.PN, "Roe^Richard")
                .setString(Tag.PATIENT_ID, VR.LO, "12345")
                .setString(Tag.ISSUER_OF_PATIENT_ID, VR.LO, "HOSP_B");
        session.accept("1", batch(aAtHospA));
        session.accept("2", batch(bAtHospA, bAtHospB));

        assertThat(session.result())
                .extracting(r -> r.getString(Tag.ISSUER_OF_PATIENT_ID))
                .containsExactly("HOSP_A", "HOSP_B");
        assertThat(session.statistics().conflicts()).isEmpty();
    }

    @Test
    void sourcesMustBeKnownAndDistinct() {
        MergeSession session = session(MergePolicy.deduplicating(DeduplicationStrategy.FIRST_WINS), r -> true);
        assertThatThrownBy(() -> session.accept("9", batch()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source 9 is not part of this query");
        assertThatThrownBy(() -> new MergeSession(
                        QueryLevel.STUDY,
                        MergePolicy.keepingEveryCopy(),
                        List.of(new MergeSource("1", 1, "A"), new MergeSource("1", 2, "B")),
                        r -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source 1 is listed twice");
    }

    @Test
    void equalPrioritiesRankByNumericSourceId() {
        MergeSession session = new MergeSession(
                QueryLevel.STUDY,
                MergePolicy.deduplicating(DeduplicationStrategy.FIRST_WINS),
                List.of(new MergeSource("10", 1, "PACS_TEN"), new MergeSource("9", 1, "PACS_NINE")),
                r -> true);
        session.accept("10", batch(study(S1, "P1").setString(Tag.STUDY_ID, VR.SH, "TEN")));
        session.accept("9", batch(study(S1, "P1").setString(Tag.STUDY_ID, VR.SH, "NINE")));

        assertThat(session.result()).extracting(r -> r.getString(Tag.STUDY_ID)).containsExactly("NINE");
    }
}
