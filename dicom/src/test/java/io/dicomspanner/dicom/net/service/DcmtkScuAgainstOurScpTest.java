package io.dicomspanner.dicom.net.service;

import static io.dicomspanner.dicom.net.NetTestSupport.FAST;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.DicomServer;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dcmtk's echoscu and findscu, which no one here wrote, against our SCP with a test handler. */
class DcmtkScuAgainstOurScpTest {
    final ExecutorService worker = Executors.newFixedThreadPool(2);
    final List<FindRequest> requests = new CopyOnWriteArrayList<>();
    volatile CFindHandler handler;
    DicomServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = DicomServer.builder()
                .settings(FAST)
                .bind("127.0.0.1", 0)
                .calledAeTitles(List.of("OURSCP"))
                .requestHandler(
                        new DicomServiceRegistry().register(new CEchoScp()).register(new CFindScp((rq, rsp) -> {
                            requests.add(rq);
                            handler.onFind(rq, rsp);
                        })))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
        worker.shutdownNow();
    }

    DcmtkProcess.Result findscu(String... args) throws Exception {
        String[] command = new String[args.length + 8];
        command[0] = "findscu";
        command[1] = "-v";
        command[2] = "-aet";
        command[3] = "DCMTKSCU";
        command[4] = "-aec";
        command[5] = "OURSCP";
        System.arraycopy(args, 0, command, 6, args.length);
        command[args.length + 6] = "127.0.0.1";
        command[args.length + 7] = Integer.toString(server.port());
        DcmtkProcess.Result r = DcmtkProcess.run(dir, command);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r;
    }

    static Attributes study(String name, String id, String uid, String date) {
        return new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, date)
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "OURSCP")
                .setString(Tag.PATIENT_NAME, VR.PN, name)
                .setString(Tag.PATIENT_ID, VR.LO, id)
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid);
    }

    Attributes response(int n) throws Exception {
        return DicomFile.read(dir.resolve(String.format("rsp%04d.dcm", n))).dataset();
    }

    @Test
    void echoscuGetsSuccess() throws Exception {
        DcmtkProcess.Result r = DcmtkProcess.run(
                dir,
                "echoscu",
                "-v",
                "-aet",
                "DCMTKSCU",
                "-aec",
                "OURSCP",
                "127.0.0.1",
                Integer.toString(server.port()));

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.infoLines())
                .containsExactly(
                        "I: Requesting Association",
                        "I: Association Accepted (Max Send PDV: 65524)",
                        "I: Sending Echo Request (MsgID 1)",
                        "I: Received Echo Response (Success)",
                        "I: Releasing Association");
    }

    @Test
    void echoscuCallingAnotherAeTitleIsRejected() throws Exception {
        DcmtkProcess.Result r = DcmtkProcess.run(
                dir,
                "echoscu",
                "-v",
                "-aet",
                "DCMTKSCU",
                "-aec",
                "NOTUS",
                "127.0.0.1",
                Integer.toString(server.port()));

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("Association Rejected:").contains("Called AE Title Not Recognized");
    }

    @Test
    void findscuStudyRootGetsEveryPendingMatchThenSuccess() throws Exception {
        List<Attributes> matches = List.of(
                study("Doe^Jane", "P1", "1.2.826.0.1.3680043.2.1", "20240102"),
                study("Doe^John", "P2", "1.2.826.0.1.3680043.2.2", "20240103"),
                study("Doe^Jim", "P3", "1.2.826.0.1.3680043.2.3", "20240104"));
        handler = (rq, rsp) -> worker.execute(() -> {
            matches.forEach(rsp::pending);
            rsp.complete();
        });

        DcmtkProcess.Result r = findscu(
                "-S",
                "-X",
                "-k",
                "QueryRetrieveLevel=STUDY",
                "-k",
                "PatientName=Doe*",
                "-k",
                "PatientID",
                "-k",
                "StudyInstanceUID",
                "-k",
                "StudyDate",
                "-k",
                "RetrieveAETitle");

        assertThat(r.infoLines())
                .contains(
                        "I: Received Find Response 1 (Pending)",
                        "I: Received Find Response 3 (Pending)",
                        "I: Received Final Find Response (Success)")
                .doesNotContain("I: Received Find Response 4 (Pending)");
        assertThat(List.of(response(1), response(2), response(3))).containsExactlyElementsOf(matches);
        assertThat(Files.exists(dir.resolve("rsp0004.dcm"))).isFalse();
        FindRequest rq = requests.get(0);
        assertThat(rq.sopClassUid()).isEqualTo(SopClasses.STUDY_ROOT_QUERY_FIND);
        assertThat(rq.callingAeTitle()).isEqualTo("DCMTKSCU");
        assertThat(rq.identifier())
                .isEqualTo(new Attributes()
                        .setNull(Tag.STUDY_DATE, VR.DA)
                        .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                        .setNull(Tag.RETRIEVE_AE_TITLE, VR.AE)
                        .setString(Tag.PATIENT_NAME, VR.PN, "Doe*")
                        .setNull(Tag.PATIENT_ID, VR.LO)
                        .setNull(Tag.STUDY_INSTANCE_UID, VR.UI));
    }

    @Test
    void findscuPatientRootGetsPatientLevelMatches() throws Exception {
        Attributes patient = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                .setString(Tag.PATIENT_NAME, VR.PN, "Müller^Jürgen")
                .setString(Tag.PATIENT_ID, VR.LO, "PID-7");
        patient.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100");
        handler = (rq, rsp) -> {
            rsp.pending(patient);
            rsp.complete();
        };

        DcmtkProcess.Result r =
                findscu("-P", "-X", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientName", "-k", "PatientID=PID-7");

        assertThat(r.infoLines()).contains("I: Received Final Find Response (Success)");
        assertThat(response(1)).isEqualTo(patient);
        assertThat(response(1).getString(Tag.PATIENT_NAME)).isEqualTo("Müller^Jürgen");
        assertThat(requests.get(0).sopClassUid()).isEqualTo(SopClasses.PATIENT_ROOT_QUERY_FIND);
        assertThat(requests.get(0).queryRetrieveLevel()).isEqualTo("PATIENT");
    }

    @Test
    void findscuCancelAfterOneResponseGetsCancelStatus() throws Exception {
        handler = (rq, rsp) -> {
            rsp.pending(study("Doe^Jane", "P1", "1.2.3", "20240102"));
            // more would follow on demand; the cancel stops it
        };

        DcmtkProcess.Result r = findscu("-S", "--cancel", "1", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName");

        assertThat(r.infoLines())
                .containsSubsequence(
                        "I: Find Response: 1 (Pending)",
                        "I: Sending Cancel Request (MsgID 1, PresID 1)",
                        "I: Received Final Find Response (Cancel: MatchingTerminatedDueToCancelRequest)");
        assertThat(requests.get(0).isCancelled()).isTrue();
    }

    @Test
    void findscuSeesTheFailureStatusTheHandlerGives() throws Exception {
        handler = (rq, rsp) -> rsp.complete(Status.OUT_OF_RESOURCES, "too many matches");

        DcmtkProcess.Result r = findscu("-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName");

        assertThat(r.infoLines()).contains("I: Received Final Find Response (Refused: OutOfResources)");
    }

    @Test
    void findscuWithALevelTheModelLacksGetsIdentifierDoesNotMatchSopClass() throws Exception {
        handler = (rq, rsp) -> rsp.complete();

        DcmtkProcess.Result r = findscu("-S", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientName");

        assertThat(r.infoLines()).contains("I: Received Final Find Response (Error: DataSetDoesNotMatchSOPClass)");
        assertThat(requests).isEmpty();
    }
}
