package io.dicomspanner.dicom.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.PydicomSamples;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.synth.SyntheticPatient;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.data.synth.SyntheticStudy;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.interop.Findscu;
import io.dicomspanner.dicom.interop.OrthancPeer;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.probe.MatchingProbe.KeyFinding;
import io.dicomspanner.dicom.probe.MatchingProbe.Matching;
import io.dicomspanner.dicom.probe.MatchingProbe.Report;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.dicom.tool.DicomTool;
import io.dicomspanner.dicom.tool.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The probe through our {@link DicomClient} against dcmtk's dcmqrscp and Orthanc, both loaded with the same pydicom
 * samples and generated studies (those of {@code OurScuAgainstPeersComparisonTest}): it must find what is known of
 * each peer's matching. dcmqrscp matches only the attributes of its index (dcmtk 3.6.7's includes Issuer of Patient
 * ID) and neither matches nor returns Modalities in Study, Series Description or Body Part Examined; Orthanc, set to
 * read the stored files when a key is not in its index ({@code StorageAccessOnFind: Always}), matches and returns
 * every default key. Both leave a key no record holds a value of undetermined. Where the probe's verdict is a peer's quirk, findscu is asked the same question to show the quirk
 * is the peer's and not our SCU's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MatchingProbeInteropTest {
    /** 4 patients with 2 studies of 2 series of 2 images each. */
    private static final SyntheticStudies STUDIES = SyntheticStudies.generate(31, 4, 2, 2, 2);

    private static final List<Path> SAMPLES = List.of(
            PydicomSamples.testFile("CT_small.dcm"),
            PydicomSamples.testFile("MR_small.dcm"),
            PydicomSamples.ROOT.resolve("charset_files").resolve("chrGerm.dcm"));

    /** Bound on one whole probe; far beyond what these small archives need. */
    private static final long PROBE_TIMEOUT_SECONDS = 120;

    private static final String CALLING_AE = "SPANNER";

    private static final String MATCHED_STUDY =
            "a value no record holds found nothing, and the sample study's own value found it";
    private static final String MATCHED_SERIES =
            "a value no record holds found nothing, and the sample series's own value found it";
    private static final String IGNORED_NOT_RETURNED_STUDY =
            "not returned; a value no record holds still returned the sample study";
    private static final String IGNORED_NOT_RETURNED_SERIES =
            "not returned; a value no record holds still returned the sample series";

    private DcmqrscpPeer dcmqrscp;
    private OrthancPeer orthanc;
    private DicomClient client;

    @BeforeAll
    void startPeers() throws IOException, InterruptedException {
        dcmqrscp = DcmqrscpPeer.builder().files(SAMPLES).studies(STUDIES).start();
        orthanc = OrthancPeer.builder().dicomWeb(false).start();
        orthanc.upload(SAMPLES);
        orthanc.upload(STUDIES);
        client = new DicomClient(DicomSettings.defaults());
    }

    @AfterAll
    void stopPeers() throws IOException {
        try {
            if (client != null) {
                client.close();
            }
            if (orthanc != null) {
                orthanc.close();
            }
        } finally {
            if (dcmqrscp != null) {
                dcmqrscp.close();
            }
        }
    }

    private DicomPeer dcmqrscpPeer() {
        return new DicomPeer(dcmqrscp.host(), dcmqrscp.port(), dcmqrscp.aeTitle(), CALLING_AE, false);
    }

    private DicomPeer orthancPeer() {
        return new DicomPeer(orthanc.host(), orthanc.dicomPort(), orthanc.aeTitle(), CALLING_AE, false);
    }

    private Report probe(DicomPeer peer, List<String> keywords) throws Exception {
        return new MatchingProbe(new PeerFinder(client, peer), Clock.systemUTC())
                .run(keywords)
                .get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static KeyFinding study(String keyword, Matching matching, boolean returned, String detail) {
        return new KeyFinding(keyword, QueryLevel.STUDY, matching, returned, detail);
    }

    private static KeyFinding series(String keyword, Matching matching, boolean returned, String detail) {
        return new KeyFinding(keyword, QueryLevel.SERIES, matching, returned, detail);
    }

    @Test
    void dcmqrscpMatchesItsIndexedKeysAndIgnoresModalitiesInStudySeriesDescriptionAndBodyPart() throws Exception {
        Report report = probe(dcmqrscpPeer(), MatchingProbe.DEFAULT_KEYS);

        assertThat(report.findings())
                .containsExactly(
                        study("PatientName", Matching.MATCHED, true, MATCHED_STUDY),
                        study("PatientID", Matching.MATCHED, true, MATCHED_STUDY),
                        study("IssuerOfPatientID", Matching.MATCHED, true, MATCHED_STUDY),
                        study("PatientBirthDate", Matching.MATCHED, true, MATCHED_STUDY),
                        study("PatientSex", Matching.MATCHED, true, MATCHED_STUDY),
                        study("StudyDate", Matching.MATCHED, true, MATCHED_STUDY),
                        study("StudyTime", Matching.MATCHED, true, MATCHED_STUDY),
                        study("AccessionNumber", Matching.MATCHED, true, MATCHED_STUDY),
                        study("StudyID", Matching.MATCHED, true, MATCHED_STUDY),
                        study("StudyDescription", Matching.MATCHED, true, MATCHED_STUDY),
                        study("ReferringPhysicianName", Matching.MATCHED, true, MATCHED_STUDY),
                        study("ModalitiesInStudy", Matching.NOT_MATCHED, false, IGNORED_NOT_RETURNED_STUDY),
                        series("Modality", Matching.MATCHED, true, MATCHED_SERIES),
                        series("SeriesNumber", Matching.MATCHED, true, MATCHED_SERIES),
                        series("SeriesDescription", Matching.NOT_MATCHED, false, IGNORED_NOT_RETURNED_SERIES),
                        series("BodyPartExamined", Matching.NOT_MATCHED, false, IGNORED_NOT_RETURNED_SERIES));
        // the two samples, then two C-FINDs per matched key and one per ignored key
        assertThat(report.cfinds()).isEqualTo(2 + 13 * 2 + 3);
    }

    @Test
    void orthancMatchesAndReturnsEveryDefaultKey() throws Exception {
        Report report = probe(orthancPeer(), MatchingProbe.DEFAULT_KEYS);

        assertThat(report.findings())
                .containsExactly(
                        study("PatientName", Matching.MATCHED, true, MATCHED_STUDY),
                        study("PatientID", Matching.MATCHED, true, MATCHED_STUDY),
                        study("IssuerOfPatientID", Matching.MATCHED, true, MATCHED_STUDY),
                        study("PatientBirthDate", Matching.MATCHED, true, MATCHED_STUDY),
                        study("PatientSex", Matching.MATCHED, true, MATCHED_STUDY),
                        study("StudyDate", Matching.MATCHED, true, MATCHED_STUDY),
                        study("StudyTime", Matching.MATCHED, true, MATCHED_STUDY),
                        study("AccessionNumber", Matching.MATCHED, true, MATCHED_STUDY),
                        study("StudyID", Matching.MATCHED, true, MATCHED_STUDY),
                        study("StudyDescription", Matching.MATCHED, true, MATCHED_STUDY),
                        study("ReferringPhysicianName", Matching.MATCHED, true, MATCHED_STUDY),
                        study("ModalitiesInStudy", Matching.MATCHED, true, MATCHED_STUDY),
                        series("Modality", Matching.MATCHED, true, MATCHED_SERIES),
                        series("SeriesNumber", Matching.MATCHED, true, MATCHED_SERIES),
                        series("SeriesDescription", Matching.MATCHED, true, MATCHED_SERIES),
                        series("BodyPartExamined", Matching.MATCHED, true, MATCHED_SERIES));
        assertThat(report.cfinds()).isEqualTo(2 + 16 * 2);
    }

    /**
     * Keys beyond the defaults: only pydicom's CT_small holds Patient's Age and Weight together, so it is the sample
     * study; no record holds Ethnic Group, and none of CT_small's series holds Laterality.
     */
    private static final List<String> OTHER_KEYS =
            List.of("PatientAge", "PatientWeight", "EthnicGroup", "InstitutionName", "Laterality");

    private static final String NO_VALUE_STUDY = "not returned; a value no record holds found nothing,"
            + " but the sample study holds no value to show that its own value finds it";
    private static final String NO_VALUE_SERIES = "not returned; a value no record holds found nothing,"
            + " but the sample series holds no value to show that its own value finds it";

    @Test
    void dcmqrscpMatchesPatientAgeAndWeightOfItsIndexButNotInstitutionNameOrLaterality() throws Exception {
        Report report = probe(dcmqrscpPeer(), OTHER_KEYS);

        assertThat(report.findings())
                .containsExactly(
                        study("PatientAge", Matching.MATCHED, true, MATCHED_STUDY),
                        study("PatientWeight", Matching.MATCHED, true, MATCHED_STUDY),
                        study("EthnicGroup", Matching.UNDETERMINED, false, NO_VALUE_STUDY),
                        series("InstitutionName", Matching.NOT_MATCHED, false, IGNORED_NOT_RETURNED_SERIES),
                        series("Laterality", Matching.NOT_MATCHED, false, IGNORED_NOT_RETURNED_SERIES));
        assertThat(report.cfinds()).isEqualTo(2 + 2 + 2 + 1 + 1 + 1);
    }

    @Test
    void orthancMatchesWhatItHoldsAndLeavesKeysNoRecordHoldsUndetermined() throws Exception {
        Report report = probe(orthancPeer(), OTHER_KEYS);

        assertThat(report.findings())
                .containsExactly(
                        study("PatientAge", Matching.MATCHED, true, MATCHED_STUDY),
                        study("PatientWeight", Matching.MATCHED, true, MATCHED_STUDY),
                        study("EthnicGroup", Matching.UNDETERMINED, false, NO_VALUE_STUDY),
                        series("InstitutionName", Matching.MATCHED, true, MATCHED_SERIES),
                        series("Laterality", Matching.UNDETERMINED, false, NO_VALUE_SERIES));
        assertThat(report.cfinds()).isEqualTo(2 + 2 + 2 + 1 + 2 + 1);
    }

    @Test
    void aSourceThatRefusesTheAssociationLeavesEveryKeyUndetermined() throws Exception {
        DicomPeer wrongAe = new DicomPeer(dcmqrscp.host(), dcmqrscp.port(), "NOT_ITS_AE", CALLING_AE, false);

        Report report = probe(wrongAe, List.of("PatientID", "Modality"));

        assertThat(report.cfinds()).isEqualTo(1);
        String detail = "the C-FIND for a sample study failed: association rejected by NOT_ITS_AE:"
                + " rejected-permanent, service-user: called-AE-title-not-recognized (1/1/7)";
        assertThat(report.findings())
                .containsExactly(
                        new KeyFinding("PatientID", QueryLevel.STUDY, Matching.UNDETERMINED, null, detail),
                        new KeyFinding("Modality", QueryLevel.SERIES, Matching.UNDETERMINED, null, detail));
    }

    /** Runs {@code scripts/dicom} in process; returns exit code, stdout and stderr. */
    private static String[] dicomTool(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DicomTool.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {
            Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    void theCommandLinePrintsOneLinePerKey() {
        String[] result = dicomTool(
                "probe",
                dcmqrscp.host() + ":" + dcmqrscp.port(),
                "--called",
                dcmqrscp.aeTitle(),
                "-k",
                "ModalitiesInStudy",
                "-k",
                "PatientID");

        assertThat(result[0]).as(result[2]).isEqualTo(Integer.toString(ExitCode.SUCCESS));
        assertThat(result[1])
                .isEqualTo("ModalitiesInStudy\tSTUDY\tNOT_MATCHED\tnot-returned\t" + IGNORED_NOT_RETURNED_STUDY + "\n"
                        + "PatientID\tSTUDY\tMATCHED\treturned\t" + MATCHED_STUDY + "\n");
        assertThat(result[2]).endsWith(" with 4 C-FINDs\n");
    }

    @Test
    void theCommandLineRefusesAKeywordBeforeConnecting() {
        String[] result = dicomTool("probe", "127.0.0.1:1", "--called", "ANY", "-k", "SOPInstanceUID");

        assertThat(result[0]).isEqualTo(Integer.toString(ExitCode.USAGE));
        assertThat(result[1]).isEmpty();
        assertThat(result[2])
                .isEqualTo("dicom probe: SOPInstanceUID is not an attribute of the patient, study or series level\n");
    }

    @Test
    void theCommandLineExitsWithFailureWhenNoKeyIsDetermined() {
        String[] result = dicomTool(
                "probe", dcmqrscp.host() + ":" + dcmqrscp.port(), "--called", "NOT_ITS_AE", "-k", "PatientID");

        assertThat(result[0]).isEqualTo(Integer.toString(ExitCode.FAILURE_STATUS));
        assertThat(result[1])
                .isEqualTo("PatientID\tSTUDY\tUNDETERMINED\tunknown\tthe C-FIND for a sample study failed:"
                        + " association rejected by NOT_ITS_AE: rejected-permanent, service-user:"
                        + " called-AE-title-not-recognized (1/1/7)\n");
    }

    /** What findscu gets from dcmqrscp for one study and one key: the study's answers, after a successful C-FIND. */
    private List<Attributes> findscuStudy(String studyUid, String keyword, String value)
            throws IOException, InterruptedException {
        Findscu.Result result = Findscu.to(dcmqrscp.host(), dcmqrscp.port(), dcmqrscp.aeTitle())
                .level("STUDY")
                .key("StudyInstanceUID", studyUid)
                .key(keyword, value)
                .run();
        assertThat(result.finalStatus()).as(result.log()).isEqualTo(Status.SUCCESS);
        return result.responses();
    }

    @Test
    void findscuSeesDcmqrscpMatchAndReturnIssuerOfPatientIdAndIgnoreModalitiesInStudy() throws Exception {
        SyntheticPatient patient = STUDIES.patients().get(0);
        SyntheticStudy study = patient.studies().get(0);
        String uid = study.studyInstanceUid();

        assertThat(findscuStudy(uid, "IssuerOfPatientID", "ZZPROBE NOMATCH")).isEmpty();
        assertThat(findscuStudy(uid, "IssuerOfPatientID", patient.issuerOfPatientId()))
                .singleElement()
                .satisfies(
                        a -> assertThat(a.getString(Tag.ISSUER_OF_PATIENT_ID)).isEqualTo(patient.issuerOfPatientId()));
        assertThat(findscuStudy(uid, "ModalitiesInStudy", "ZZPROBE_NOMATCH"))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.getString(Tag.STUDY_INSTANCE_UID)).isEqualTo(uid);
                    assertThat(a.contains(Tag.MODALITIES_IN_STUDY)).isFalse();
                });
    }
}
