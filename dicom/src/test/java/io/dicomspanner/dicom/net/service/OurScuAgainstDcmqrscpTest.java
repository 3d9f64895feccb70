package io.dicomspanner.dicom.net.service;

import static io.dicomspanner.dicom.net.NetTestSupport.FAST;
import static io.dicomspanner.dicom.net.NetTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.PydicomSamples;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.pool.AssociationPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our C-ECHO and C-FIND SCU against dcmtk's dcmqrscp holding two of pydicom's sample files: the identifiers we get
 * are the ones in the files, and the ones dcmtk's own findscu gets from the same archive.
 */
class OurScuAgainstDcmqrscpTest {
    @TempDir
    static Path dir;

    static DcmqrscpPeer dcmqrscp;
    static Attributes ct;
    static Attributes mr;

    DicomClient client;
    DicomPeer peer;

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
    static void stopDcmqrscp() throws Exception {
        if (dcmqrscp != null) {
            dcmqrscp.close();
        }
    }

    @BeforeEach
    void connect() {
        client = new DicomClient(FAST);
        peer = new DicomPeer(dcmqrscp.host(), dcmqrscp.port(), "QRSCP", "SPANNER", false);
    }

    @AfterEach
    void close() {
        client.close();
    }

    /** What dcmqrscp answers at study level: the requested keys from the file, plus its RetrieveAETitle. */
    static Attributes studyOf(Attributes file) {
        return new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, file.getString(Tag.STUDY_DATE))
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "QRSCP")
                .setString(Tag.PATIENT_NAME, VR.PN, file.getString(Tag.PATIENT_NAME))
                .setString(Tag.PATIENT_ID, VR.LO, file.getString(Tag.PATIENT_ID))
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, file.getString(Tag.STUDY_INSTANCE_UID));
    }

    static Attributes studyKeys() {
        return new Attributes()
                .setNull(Tag.STUDY_DATE, VR.DA)
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setNull(Tag.PATIENT_ID, VR.LO)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    Association associate() throws Exception {
        return await(client.connect(peer));
    }

    @Test
    void echoGetsSuccess() throws Exception {
        Association as = associate();
        assertThat(await(CEchoScu.echo(as))).isEqualTo(Status.SUCCESS);
        assertThat(as.associateAc().userInformation().implementationVersionName())
                .isEqualTo("OFFIS_DCMTK_367");
        await(as.release());
    }

    @Test
    void studyLevelFindReturnsBothStudiesWithTheValuesOfTheFiles() throws Exception {
        Association as = associate();

        FindResult result = await(CFindScu.findAll(as, FindQuery.studyRoot(studyKeys())));

        assertThat(result.outcome()).isEqualTo(new FindOutcome(Status.SUCCESS, null, 2, false));
        assertThat(result.matches()).containsExactlyInAnyOrder(studyOf(ct), studyOf(mr));
        assertThat(result.matches())
                .extracting(a -> a.getString(Tag.PATIENT_NAME))
                .containsExactlyInAnyOrder("CompressedSamples^CT1", "CompressedSamples^MR1");
        await(as.release());
    }

    @Test
    void ourIdentifiersEqualThoseFindscuGetsFromTheSameArchive() throws Exception {
        Path out = Files.createDirectories(dir.resolve("findscu-" + System.nanoTime()));
        DcmtkProcess.Result r = DcmtkProcess.run(
                out,
                "findscu",
                "-v",
                "-S",
                "-X",
                "-aet",
                "FINDSCU",
                "-aec",
                "QRSCP",
                "-k",
                "QueryRetrieveLevel=STUDY",
                "-k",
                "StudyDate",
                "-k",
                "PatientName",
                "-k",
                "PatientID",
                "-k",
                "StudyInstanceUID",
                dcmqrscp.host(),
                Integer.toString(dcmqrscp.port()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        List<Attributes> theirs = new ArrayList<>();
        for (int i = 1; Files.exists(out.resolve(String.format("rsp%04d.dcm", i))); i++) {
            theirs.add(
                    DicomFile.read(out.resolve(String.format("rsp%04d.dcm", i))).dataset());
        }
        Association as = associate();

        List<Attributes> ours =
                await(CFindScu.findAll(as, FindQuery.studyRoot(studyKeys()))).matches();

        assertThat(theirs).hasSize(2);
        assertThat(ours).containsExactlyInAnyOrderElementsOf(theirs);
        await(as.release());
    }

    @Test
    void patientNameWildcardNarrowsToOneStudy() throws Exception {
        Association as = associate();
        Attributes keys = studyKeys().setString(Tag.PATIENT_NAME, VR.PN, "CompressedSamples^CT*");

        FindResult result = await(CFindScu.findAll(as, FindQuery.studyRoot(keys)));

        assertThat(result.matches()).containsExactly(studyOf(ct));
        await(as.release());
    }

    @Test
    void seriesLevelFindUnderOneStudyReturnsItsSeries() throws Exception {
        Association as = associate();
        Attributes keys = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setNull(Tag.MODALITY, VR.CS)
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, ct.getString(Tag.STUDY_INSTANCE_UID))
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI)
                .setNull(Tag.SERIES_NUMBER, VR.IS);

        FindResult result = await(CFindScu.findAll(as, FindQuery.studyRoot(keys)));

        assertThat(result.matches())
                .containsExactly(new Attributes()
                        .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                        .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "QRSCP")
                        .setString(Tag.MODALITY, VR.CS, "CT")
                        .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322")
                        .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322")
                        .setString(Tag.SERIES_NUMBER, VR.IS, "1"));
        await(as.release());
    }

    @Test
    void patientRootPatientLevelFindReturnsBothPatients() throws Exception {
        Association as = associate();
        Attributes keys = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setNull(Tag.PATIENT_ID, VR.LO)
                .setNull(Tag.PATIENT_SEX, VR.CS);

        FindResult result = await(CFindScu.findAll(as, FindQuery.patientRoot(keys)));

        assertThat(result.matches())
                .containsExactlyInAnyOrder(
                        patient("CompressedSamples^CT1", "1CT1", "O"), patient("CompressedSamples^MR1", "4MR1", "F"));
        await(as.release());
    }

    static Attributes patient(String name, String id, String sex) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "QRSCP")
                .setString(Tag.PATIENT_NAME, VR.PN, name)
                .setString(Tag.PATIENT_ID, VR.LO, id)
                .setString(Tag.PATIENT_SEX, VR.CS, sex);
    }

    @Test
    void dcmqrscpAgreesToNoExtendedNegotiation() throws Exception {
        Association as = associate();
        assertThat(as.presentationContext(SopClasses.STUDY_ROOT_QUERY_FIND)).isPresent();
        assertThat(QueryOptions.negotiated(as, SopClasses.STUDY_ROOT_QUERY_FIND))
                .isEqualTo(QueryOptions.NONE);
        await(as.release());
    }

    @Test
    void cancelAfterTheFirstMatchDeliversOnlyThatMatch() throws Exception {
        Association as = associate();

        FindResult result =
                await(CFindScu.findAll(as, FindQuery.studyRoot(studyKeys()).withMaxMatches(1)));

        assertThat(result.matches()).hasSize(1);
        assertThat(result.outcome().cancelSent()).isTrue();
        // dcmqrscp may have sent its last match before reading the cancel: Success or Cancel are both right
        assertThat(result.status()).isIn(Status.SUCCESS, Status.CANCEL);
        assertThat(await(CEchoScu.echo(as))).isEqualTo(Status.SUCCESS);
        await(as.release());
    }

    @Test
    void poolRunsConcurrentFindsAgainstDcmqrscp() throws Exception {
        try (AssociationPool pool = new AssociationPool(client)) {
            List<CompletableFuture<FindResult>> finds = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                finds.add(pool.withAssociation(peer, as -> CFindScu.findAll(as, FindQuery.studyRoot(studyKeys()))));
            }
            for (CompletableFuture<FindResult> f : finds) {
                assertThat(await(f).matches()).containsExactlyInAnyOrder(studyOf(ct), studyOf(mr));
            }
            assertThat(pool.stats(peer).open()).isBetween(1, 4);
        }
    }
}
