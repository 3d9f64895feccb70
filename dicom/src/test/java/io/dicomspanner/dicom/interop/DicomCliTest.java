package io.dicomspanner.dicom.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.PydicomSamples;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code scripts/dicom} run as a process against dcmtk's dcmqrscp holding pydicom's CT_small and MR_small: the exact
 * DICOM JSON it prints, and its exit codes and reasons when the peer refuses or cannot be reached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DicomCliTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DcmqrscpPeer dcmqrscp;

    @BeforeAll
    void startDcmqrscp() throws IOException, InterruptedException {
        dcmqrscp = DcmqrscpPeer.builder()
                .files(List.of(PydicomSamples.testFile("CT_small.dcm"), PydicomSamples.testFile("MR_small.dcm")))
                .start();
    }

    @AfterAll
    void stopDcmqrscp() throws IOException {
        if (dcmqrscp != null) {
            dcmqrscp.close();
        }
    }

    private String address() {
        return dcmqrscp.host() + ":" + dcmqrscp.port();
    }

    /** dcmqrscp's study-level answer for CT_small: the requested keys it indexes, plus its RetrieveAETitle. */
    private String ctStudy() {
        return """
                {"00080020":{"vr":"DA","Value":["20040119"]},
                 "00080050":{"vr":"SH"},
                 "00080052":{"vr":"CS","Value":["STUDY"]},
                 "00080054":{"vr":"AE","Value":["%s"]},
                 "00100010":{"vr":"PN","Value":[{"Alphabetic":"CompressedSamples^CT1"}]},
                 "00100020":{"vr":"LO","Value":["1CT1"]},
                 "0020000D":{"vr":"UI","Value":["1.3.6.1.4.1.5962.1.2.1.20040119072730.12322"]}}
                """.formatted(dcmqrscp.aeTitle());
    }

    private String mrStudy() {
        return """
                {"00080020":{"vr":"DA","Value":["20040826"]},
                 "00080050":{"vr":"SH"},
                 "00080052":{"vr":"CS","Value":["STUDY"]},
                 "00080054":{"vr":"AE","Value":["%s"]},
                 "00100010":{"vr":"PN","Value":[{"Alphabetic":"CompressedSamples^MR1"}]},
                 "00100020":{"vr":"LO","Value":["4MR1"]},
                 "0020000D":{"vr":"UI","Value":["1.3.6.1.4.1.5962.1.2.4.20040826185059.5457"]}}
                """.formatted(dcmqrscp.aeTitle());
    }

    private static List<JsonNode> objects(String... json) {
        List<JsonNode> nodes = new ArrayList<>();
        for (String j : json) {
            nodes.add(JSON.readTree(j));
        }
        return nodes;
    }

    /** The elements of the one JSON array stdout must hold. */
    private static List<JsonNode> printedArray(DicomCliRunner.Run run) {
        JsonNode array = JSON.readTree(run.stdout());
        assertThat(array.isArray()).as(run.stdout()).isTrue();
        List<JsonNode> elements = new ArrayList<>();
        array.forEach(elements::add);
        return elements;
    }

    @Test
    void findAtStudyLevelPrintsBothStudiesAsOneDicomJsonArrayAndExitsZero() throws Exception {
        DicomCliRunner.Run run = DicomCliRunner.run(
                "find",
                address(),
                "--called",
                dcmqrscp.aeTitle(),
                "--level",
                "STUDY",
                "-k",
                "StudyDate",
                "-k",
                "AccessionNumber",
                "-k",
                "PatientName",
                "-k",
                "PatientID",
                "-k",
                "StudyInstanceUID");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(printedArray(run)).containsExactlyInAnyOrderElementsOf(objects(ctStudy(), mrStudy()));
        assertThat(run.stderr()).contains("C-FIND 0000H (Success), 2 matches");
    }

    @Test
    void findTakesHexTagsAndValuesAndPrintsOnlyTheMatchingStudy() throws Exception {
        DicomCliRunner.Run run = DicomCliRunner.run(
                "find",
                address(),
                "--called",
                dcmqrscp.aeTitle(),
                "--calling",
                "OPERATOR",
                "--model",
                "study",
                "--level",
                "study",
                "-k",
                "00080020",
                "-k",
                "0008,0050",
                "-k",
                "(0010,0010)=CompressedSamples^MR*",
                "-k",
                "PatientID",
                "-k",
                "StudyInstanceUID");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(printedArray(run)).containsExactlyElementsOf(objects(mrStudy()));
    }

    @Test
    void findAtSeriesLevelUnderOneStudyPrintsItsSeries() throws Exception {
        DicomCliRunner.Run run = DicomCliRunner.run(
                "find",
                address(),
                "--called",
                dcmqrscp.aeTitle(),
                "--level",
                "SERIES",
                "-k",
                "StudyInstanceUID=1.3.6.1.4.1.5962.1.2.1.20040119072730.12322",
                "-k",
                "SeriesInstanceUID",
                "-k",
                "Modality",
                "-k",
                "SeriesNumber");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(printedArray(run)).containsExactlyElementsOf(objects("""
                        {"00080052":{"vr":"CS","Value":["SERIES"]},
                         "00080054":{"vr":"AE","Value":["%s"]},
                         "00080060":{"vr":"CS","Value":["CT"]},
                         "0020000D":{"vr":"UI","Value":["1.3.6.1.4.1.5962.1.2.1.20040119072730.12322"]},
                         "0020000E":{"vr":"UI","Value":["1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322"]},
                         "00200011":{"vr":"IS","Value":[1]}}
                        """.formatted(dcmqrscp.aeTitle())));
    }

    @Test
    void findWithAFailureStatusPrintsAnEmptyArrayTheStatusAndExitsOne() throws Exception {
        // dcmqrscp is strictly hierarchical: a SERIES query without a StudyInstanceUID ends in a C000 failure
        DicomCliRunner.Run run = DicomCliRunner.run(
                "find", address(), "--called", dcmqrscp.aeTitle(), "--level", "SERIES", "-k", "SeriesInstanceUID");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(printedArray(run)).isEmpty();
        assertThat(run.stderr()).containsPattern("answered C[0-9A-F]{3}H \\(Failed: Unable to process\\)");
    }

    @Test
    void aMissingLevelIsAUsageErrorWithTheUsage() throws Exception {
        DicomCliRunner.Run run = DicomCliRunner.run("find", address(), "--called", "X", "-k", "PatientID");

        assertThat(run.exitCode()).isEqualTo(64);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr())
                .startsWith("dicom: find needs --level PATIENT|STUDY|SERIES|IMAGE\nusage: dicom echo HOST:PORT");
    }

    @Test
    void echoGetsSuccessAndExitsZero() throws Exception {
        DicomCliRunner.Run run = DicomCliRunner.run("echo", address(), "--called", dcmqrscp.aeTitle());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr())
                .contains("implementation 1.2.276.0.7230010.3.0.3.6.7 OFFIS_DCMTK_367")
                .contains("C-ECHO 0000H (Success) from DICOM_TOOL -> " + dcmqrscp.aeTitle());
    }

    @Test
    void echoToAPortNobodyListensOnSaysConnectionRefusedAndExitsTwo() throws Exception {
        int closedPort = UnusualPorts.pick();

        DicomCliRunner.Run run = DicomCliRunner.run("echo", "127.0.0.1:" + closedPort, "--called", "ANY");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr())
                .contains("dicom echo: cannot connect to 127.0.0.1:" + closedPort)
                .contains("Connection refused");
    }

    @Test
    void findToAnUnknownHostSaysSoAndExitsTwo() throws Exception {
        DicomCliRunner.Run run = DicomCliRunner.run(
                "find", "no-such-host.invalid:104", "--called", "ANY", "--level", "STUDY", "-k", "PatientID");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("dicom find: cannot connect to no-such-host.invalid:104");
    }

    @Test
    void findCallingAnAeTitleThePeerDoesNotKnowReportsTheRejectionAndExitsTwo() throws Exception {
        DicomCliRunner.Run run = DicomCliRunner.run(
                "find", address(), "--called", "NOT_" + dcmqrscp.aeTitle(), "--level", "STUDY", "-k", "PatientID");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("rejected-permanent").contains("called-AE-title-not-recognized");
    }

    @Test
    void anUnknownKeywordIsAUsageErrorAndNothingIsSent() throws Exception {
        DicomCliRunner.Run run =
                DicomCliRunner.run("find", address(), "--called", "X", "--level", "STUDY", "-k", "PatientsName");

        assertThat(run.exitCode()).isEqualTo(64);
        assertThat(run.stdout()).isEmpty();
        // exit 64 and not 2: had it associated, dcmqrscp would have rejected the called AE title X
        assertThat(run.stderr())
                .isEqualTo("dicom find: 'PatientsName' is neither a DICOM keyword (as PS3.6 spells it) nor a tag in hex"
                        + " such as 00100020\n");
    }
}
