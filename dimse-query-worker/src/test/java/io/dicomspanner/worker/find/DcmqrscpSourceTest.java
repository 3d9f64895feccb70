package io.dicomspanner.worker.find;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.PydicomSamples;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worker against a third-party PACS: dcmtk's dcmqrscp holding two of pydicom's sample files. */
class DcmqrscpSourceTest extends WorkerTestSupport {
    static DcmqrscpPeer dcmqrscp;
    static Attributes ct;
    static Attributes mr;

    @BeforeAll
    static void startDcmqrscp() throws Exception {
        Path ctFile = PydicomSamples.testFile("CT_small.dcm");
        Path mrFile = PydicomSamples.testFile("MR_small.dcm");
        ct = DicomFile.read(ctFile).dataset();
        mr = DicomFile.read(mrFile).dataset();
        dcmqrscp = DcmqrscpPeer.builder()
                .aeTitle("QRSCP")
                .files(List.of(ctFile, mrFile))
                .start();
    }

    @AfterAll
    static void stopDcmqrscp() throws IOException {
        if (dcmqrscp != null) {
            dcmqrscp.close();
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
        SourceEndpoint source = dcmqrscpSource(dcmqrscp, 1);
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setNull(Tag.STUDY_DATE, VR.DA)
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setNull(Tag.PATIENT_ID, VR.LO)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        publish(task(source, QueryLevel.STUDY, query, inSeconds(30), 0));

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
