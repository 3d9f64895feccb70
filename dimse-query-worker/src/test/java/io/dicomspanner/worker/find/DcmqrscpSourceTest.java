package io.dicomspanner.worker.find;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker against a third-party PACS: dcmtk's dcmqrscp holding two of pydicom's sample files. */
class DcmqrscpSourceTest extends WorkerTestSupport {
    static final Path SAMPLES = Paths.get("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    @TempDir
    static Path dir;

    static Process dcmqrscp;
    static int port;
    static Attributes ct;
    static Attributes mr;

    @BeforeAll
    static void startDcmqrscp() throws Exception {
        Path db = Files.createDirectories(dir.resolve("db"));
        for (String name : List.of("CT_small.dcm", "MR_small.dcm")) {
            Files.copy(SAMPLES.resolve(name), db.resolve(name));
        }
        ct = DicomFile.read(db.resolve("CT_small.dcm")).dataset();
        mr = DicomFile.read(db.resolve("MR_small.dcm")).dataset();
        Process index = new ProcessBuilder(
                        "dcmqridx",
                        db.toString(),
                        db.resolve("CT_small.dcm").toString(),
                        db.resolve("MR_small.dcm").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("dcmqridx.log").toFile())
                .start();
        assertThat(index.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(index.exitValue())
                .as(Files.readString(dir.resolve("dcmqridx.log")))
                .isZero();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(
                dir.resolve("dcmqrscp.cfg"),
                String.join(
                        "\n",
                        "NetworkTCPPort  = " + port,
                        "MaxPDUSize      = 16384",
                        "MaxAssociations = 16",
                        "HostTable BEGIN",
                        "HostTable END",
                        "VendorTable BEGIN",
                        "VendorTable END",
                        "AETable BEGIN",
                        "QRSCP  " + db + "  R  (10, 1024mb)  ANY",
                        "AETable END",
                        ""));
        // one process: no forked children to outlive the test
        dcmqrscp = new ProcessBuilder(
                        "dcmqrscp",
                        "--single-process",
                        "-c",
                        dir.resolve("dcmqrscp.cfg").toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("dcmqrscp.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            assertThat(dcmqrscp.isAlive()).as("dcmqrscp runs").isTrue();
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("dcmqrscp listens within 20 s").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopDcmqrscp() throws InterruptedException {
        if (dcmqrscp != null) {
            dcmqrscp.destroy();
            if (!dcmqrscp.waitFor(5, TimeUnit.SECONDS)) {
                dcmqrscp.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** What dcmqrscp answers at study level: the requested keys from the file, plus its RetrieveAETitle. */
    static Attributes studyOf(Attributes file) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.STUDY_DATE, VR.DA, file.getString(Tag.STUDY_DATE))
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "QRSCP")
                .setString(Tag.PATIENT_NAME, VR.PN, file.getString(Tag.PATIENT_NAME))
                .setString(Tag.PATIENT_ID, VR.LO, file.getString(Tag.PATIENT_ID))
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, file.getString(Tag.STUDY_INSTANCE_UID));
    }

    @Test
    void relaysExactlyTheStudiesDcmqrscpAnswers() {
        SourceEndpoint source = new SourceEndpoint(
                newSourceId(),
                "dcmqrscp",
                "QRSCP",
                "127.0.0.1",
                port,
                "SPANNER",
                false,
                1,
                30,
                List.of(InformationModel.STUDY_ROOT, InformationModel.PATIENT_ROOT),
                false);
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setNull(Tag.STUDY_DATE, VR.DA)
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setNull(Tag.PATIENT_ID, VR.LO)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        publish(task(source, "STUDY", query, inSeconds(30), 0));

        List<SourceResult> results = resultsUntilFinal();

        assertThat(results).extracting(SourceResult::sequence).containsExactly(0, 1);
        SourceResult last = results.get(1);
        assertThat(last.outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(last.dimseStatus()).isEqualTo(Status.SUCCESS);
        assertThat(matches(results)).containsExactlyInAnyOrder(studyOf(ct), studyOf(mr));
        assertThat(matches(results))
                .extracting(a -> a.getString(Tag.PATIENT_NAME))
                .containsExactlyInAnyOrder("CompressedSamples^CT1", "CompressedSamples^MR1");
    }
}
