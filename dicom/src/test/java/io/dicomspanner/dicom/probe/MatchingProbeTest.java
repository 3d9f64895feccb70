package io.dicomspanner.dicom.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.DicomNetworkException;
import io.dicomspanner.dicom.probe.MatchingProbe.KeyFinding;
import io.dicomspanner.dicom.probe.MatchingProbe.Matching;
import io.dicomspanner.dicom.probe.MatchingProbe.Report;
import io.dicomspanner.dicom.query.QueryLevel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The probe's decisions, against an in-process archive whose flaws each test chooses. */
class MatchingProbeTest {

    private static final String MATCHED =
            "a value no record holds found nothing, and the sample study's own value found it";
    private static final String MATCHED_SERIES =
            "a value no record holds found nothing, and the sample series's own value found it";

    /** Two studies; the second has more values, so it is the sample. */
    private static FakeArchive archive() {
        return new FakeArchive()
                .series(
                        "PatientName", "Doe^Jane",
                        "PatientID", "P1",
                        "StudyDate", "20240102",
                        "StudyInstanceUID", "1.2.3.1",
                        "SeriesInstanceUID", "1.2.3.1.1",
                        "Modality", "MR",
                        "SeriesNumber", "1")
                .series(
                        "PatientName", "Roe^Richard",
                        "PatientID", "P2",
                        "StudyDate", "20240305",
                        "StudyTime", "101500",
                        "AccessionNumber", "ACC2",
                        "StudyDescription", "HEAD",
                        "StudyInstanceUID", "1.2.3.2",
                        "SeriesInstanceUID", "1.2.3.2.1",
                        "Modality", "CT",
                        "SeriesNumber", "1",
                        "SeriesDescription", "AXIAL",
                        "BodyPartExamined", "HEAD")
                .series(
                        "PatientName", "Roe^Richard",
                        "PatientID", "P2",
                        "StudyDate", "20240305",
                        "StudyTime", "101500",
                        "AccessionNumber", "ACC2",
                        "StudyDescription", "HEAD",
                        "StudyInstanceUID", "1.2.3.2",
                        "SeriesInstanceUID", "1.2.3.2.2",
                        "Modality", "SR",
                        "SeriesNumber", "2");
    }

    private static Report probe(MatchingProbe.Finder finder, String... keywords) {
        return new MatchingProbe(finder, Clock.systemUTC())
                .run(List.of(keywords))
                .join();
    }

    private static KeyFinding study(String keyword, Matching matching, Boolean returned, String detail) {
        return new KeyFinding(keyword, QueryLevel.STUDY, matching, returned, detail);
    }

    private static KeyFinding series(String keyword, Matching matching, Boolean returned, String detail) {
        return new KeyFinding(keyword, QueryLevel.SERIES, matching, returned, detail);
    }

    private static Attributes studyQuery(String studyUid, int tag, VR vr, String value) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, studyUid)
                .setString(tag, vr, value);
    }

    @Test
    void keysTheArchiveAppliesAreMatched() {
        FakeArchive archive = archive();

        Report report = probe(archive, "PatientID", "StudyDate", "AccessionNumber");

        assertThat(report.findings())
                .containsExactly(
                        study("PatientID", Matching.MATCHED, true, MATCHED),
                        study("StudyDate", Matching.MATCHED, true, MATCHED),
                        study("AccessionNumber", Matching.MATCHED, true, MATCHED));
        assertThat(report.cfinds()).isEqualTo(7);
        assertThat(archive.received.get(0))
                .isEqualTo(new Attributes()
                        .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                        .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                        .setNull(Tag.PATIENT_ID, VR.LO)
                        .setNull(Tag.STUDY_DATE, VR.DA)
                        .setNull(Tag.ACCESSION_NUMBER, VR.SH));
        assertThat(archive.received.subList(1, 7))
                .containsExactly(
                        studyQuery("1.2.3.2", Tag.PATIENT_ID, VR.LO, "ZZPROBE NOMATCH"),
                        studyQuery("1.2.3.2", Tag.PATIENT_ID, VR.LO, "P2"),
                        studyQuery("1.2.3.2", Tag.STUDY_DATE, VR.DA, "18500101"),
                        studyQuery("1.2.3.2", Tag.STUDY_DATE, VR.DA, "20240305"),
                        studyQuery("1.2.3.2", Tag.ACCESSION_NUMBER, VR.SH, "ZZPROBE NOMATCH"),
                        studyQuery("1.2.3.2", Tag.ACCESSION_NUMBER, VR.SH, "ACC2"));
    }

    @Test
    void aKeyTheArchiveIgnoresIsNotMatchedAfterOneCFind() {
        Report report = probe(archive().ignoring("StudyDate"), "StudyDate", "PatientID");

        assertThat(report.findings())
                .containsExactly(
                        study(
                                "StudyDate",
                                Matching.NOT_MATCHED,
                                true,
                                "a value no record holds still returned the sample study"),
                        study("PatientID", Matching.MATCHED, true, MATCHED));
        assertThat(report.cfinds()).isEqualTo(1 + 1 + 2);
    }

    @Test
    void aKeyWhoseOwnValueFindsNothingIsNotMatched() {
        Report report = probe(archive().breaking("StudyDescription"), "StudyDescription");

        assertThat(report.findings())
                .containsExactly(study(
                        "StudyDescription",
                        Matching.NOT_MATCHED,
                        true,
                        "a value no record holds found nothing, but the sample study's own value did not find it"));
        assertThat(report.cfinds()).isEqualTo(3);
    }

    @Test
    void aFailingCFindLeavesItsKeyUndeterminedAndTheOthersGoOn() {
        Report report = probe(archive().failing("AccessionNumber"), "PatientID", "AccessionNumber", "StudyDate");

        assertThat(report.findings())
                .containsExactly(
                        study("PatientID", Matching.MATCHED, true, MATCHED),
                        study(
                                "AccessionNumber",
                                Matching.UNDETERMINED,
                                true,
                                "the C-FIND with a value no record holds failed:"
                                        + " C-FIND ended with status 0xC001 (unable to process)"),
                        study("StudyDate", Matching.MATCHED, true, MATCHED));
        assertThat(report.cfinds()).isEqualTo(1 + 2 + 1 + 2);
    }

    @Test
    void aFinderThatThrowsCountsAsAFailedCFind() {
        List<Attributes> received = new ArrayList<>();
        MatchingProbe.Finder throwing = identifier -> {
            received.add(identifier);
            throw new IllegalStateException("no association available");
        };

        Report report = probe(throwing, "PatientID", "Modality");

        String detail = "the C-FIND for a sample study failed: no association available";
        assertThat(report.findings())
                .containsExactly(
                        study("PatientID", Matching.UNDETERMINED, null, detail),
                        series("Modality", Matching.UNDETERMINED, null, detail));
        assertThat(report.cfinds()).isEqualTo(1);
        assertThat(received).hasSize(1);
    }

    @Test
    void aFailedSampleSeriesCFindLeavesTheSeriesKeysUndetermined() {
        FakeArchive archive = archive();
        MatchingProbe.Finder seriesFail = identifier -> "SERIES".equals(identifier.getString(Tag.QUERY_RETRIEVE_LEVEL))
                ? CompletableFuture.failedFuture(new DicomNetworkException("association rejected"))
                : archive.find(identifier);

        Report report = probe(seriesFail, "PatientID", "Modality");

        assertThat(report.findings())
                .containsExactly(
                        study("PatientID", Matching.MATCHED, true, MATCHED),
                        series(
                                "Modality",
                                Matching.UNDETERMINED,
                                null,
                                "the C-FIND for the sample study's series failed: association rejected"));
        assertThat(report.cfinds()).isEqualTo(1 + 2 + 1);
    }

    @Test
    void withoutAStudyEveryKeyIsUndetermined() {
        FakeArchive empty = new FakeArchive();

        Report report =
                new MatchingProbe(empty, Clock.systemUTC()).run(List.of()).join();

        String detail = "no study to probe with: the C-FIND for every study found none";
        List<KeyFinding> expected = new ArrayList<>();
        for (String keyword : MatchingProbe.DEFAULT_KEYS) {
            QueryLevel level = List.of("Modality", "SeriesNumber", "SeriesDescription", "BodyPartExamined")
                            .contains(keyword)
                    ? QueryLevel.SERIES
                    : QueryLevel.STUDY;
            expected.add(new KeyFinding(keyword, level, Matching.UNDETERMINED, null, detail));
        }
        assertThat(report.findings()).containsExactlyElementsOf(expected);
        assertThat(report.cfinds()).isEqualTo(1);
    }

    @Test
    void modalitiesInStudyNotReturnedIsMatchedWithAModalityOfTheSeries() {
        FakeArchive archive = archive().notReturning("ModalitiesInStudy");

        Report report = probe(archive, "ModalitiesInStudy");

        assertThat(report.findings())
                .containsExactly(study(
                        "ModalitiesInStudy",
                        Matching.MATCHED,
                        false,
                        "not returned; a value no record holds found nothing,"
                                + " and a modality of the sample study's series found it"));
        assertThat(report.cfinds()).isEqualTo(4);
        // both studies hold one value of the keys probed: the first answered is the sample
        assertThat(archive.received.get(3)).isEqualTo(studyQuery("1.2.3.1", Tag.MODALITIES_IN_STUDY, VR.CS, "MR"));
    }

    @Test
    void modalitiesInStudyReturnedIsMatchedWithOneOfItsValues() {
        FakeArchive archive = archive();

        Report report = probe(archive, "ModalitiesInStudy");

        assertThat(report.findings()).containsExactly(study("ModalitiesInStudy", Matching.MATCHED, true, MATCHED));
        assertThat(report.cfinds()).isEqualTo(3);
        assertThat(archive.received.get(1))
                .isEqualTo(studyQuery("1.2.3.1", Tag.MODALITIES_IN_STUDY, VR.CS, "ZZPROBE_NOMATCH"));
        assertThat(archive.received.get(2)).isEqualTo(studyQuery("1.2.3.1", Tag.MODALITIES_IN_STUDY, VR.CS, "MR"));
    }

    @Test
    void seriesKeysAreProbedOnTheSampleSeriesWithinTheSampleStudy() {
        FakeArchive archive = archive().ignoring("BodyPartExamined");

        // Accession Number makes the second study the sample: the first has none
        Report report = probe(archive, "AccessionNumber", "Modality", "BodyPartExamined", "SeriesNumber");

        assertThat(report.findings())
                .containsExactly(
                        study("AccessionNumber", Matching.MATCHED, true, MATCHED),
                        series("Modality", Matching.MATCHED, true, MATCHED_SERIES),
                        series(
                                "BodyPartExamined",
                                Matching.NOT_MATCHED,
                                true,
                                "a value no record holds still returned the sample series"),
                        series("SeriesNumber", Matching.MATCHED, true, MATCHED_SERIES));
        assertThat(report.cfinds()).isEqualTo(1 + 2 + 1 + 2 + 1 + 2);
        assertThat(archive.received.get(3))
                .isEqualTo(new Attributes()
                        .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                        .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.2")
                        .setNull(Tag.SERIES_INSTANCE_UID, VR.UI)
                        .setNull(Tag.MODALITY, VR.CS)
                        .setNull(0x00180015, VR.CS)
                        .setNull(Tag.SERIES_NUMBER, VR.IS));
        assertThat(archive.received.get(5))
                .isEqualTo(new Attributes()
                        .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                        .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.2")
                        .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.3.2.1")
                        .setString(Tag.MODALITY, VR.CS, "CT"));
    }

    @Test
    void aKeyTheSampleHoldsNoValueOfIsUndeterminedOnceTheSourceFiltersOnIt() {
        FakeArchive archive = new FakeArchive()
                .series(
                        "PatientID", "P1",
                        "StudyInstanceUID", "1.2.3.1",
                        "SeriesInstanceUID", "1.2.3.1.1",
                        "Modality", "MR");

        Report report = probe(archive, "StudyDescription");

        assertThat(report.findings())
                .containsExactly(study(
                        "StudyDescription",
                        Matching.UNDETERMINED,
                        false,
                        "not returned; a value no record holds found nothing,"
                                + " but the sample study holds no value to show that its own value finds it"));
        assertThat(report.cfinds()).isEqualTo(2);
    }

    @Test
    void theValueThatMustNotMatchDiffersFromTheSamplesOwn() {
        FakeArchive archive = new FakeArchive()
                .series(
                        "StudyTime", "03",
                        "StudyInstanceUID", "1.2.3.1",
                        "SeriesInstanceUID", "1.2.3.1.1",
                        "Modality", "MR");

        Report report = probe(archive, "StudyTime");

        assertThat(report.findings()).containsExactly(study("StudyTime", Matching.MATCHED, true, MATCHED));
        assertThat(archive.received.get(1)).isEqualTo(studyQuery("1.2.3.1", Tag.STUDY_TIME, VR.TM, "151515"));
    }

    @Test
    void detailsNeverQuoteAValueOfARecord() {
        Report report = probe(
                archive().ignoring("PatientName").breaking("StudyDate"),
                MatchingProbe.DEFAULT_KEYS.toArray(String[]::new));

        assertThat(report.findings()).hasSize(MatchingProbe.DEFAULT_KEYS.size());
        for (KeyFinding finding : report.findings()) {
            for (String value : List.of("Roe", "Richard", "P2", "20240305", "101500", "ACC2", "HEAD", "AXIAL", "CT")) {
                assertThat(finding.detail()).as(finding.keyword()).doesNotContain(value);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "PatientNam", // not in the dictionary
                "SOPInstanceUID", // image level
                "InstanceNumber", // image level
                "SpecificCharacterSet", // no level
                "StudyInstanceUID", // the probe's anchor
                "SeriesInstanceUID", // the probe's anchor
                "ProcedureCodeSequence", // a sequence
            })
    void aKeywordTheProbeCannotUseIsRefusedBeforeAnyCFind(String keyword) {
        FakeArchive archive = archive();
        MatchingProbe probe = new MatchingProbe(archive, Clock.systemUTC());

        assertThatThrownBy(() -> probe.run(List.of("PatientID", keyword)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(keyword);
        assertThat(archive.received).isEmpty();
    }

    @Test
    void aKeywordNamedTwiceIsRefused() {
        MatchingProbe probe = new MatchingProbe(archive(), Clock.systemUTC());

        assertThatThrownBy(() -> probe.run(List.of("PatientID", "StudyDate", "PatientID")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PatientID is named twice");
    }
}
