package io.dicomspanner.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.SpecificCharacterSet;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.data.synth.SyntheticInstance;
import io.dicomspanner.dicom.data.synth.SyntheticPatient;
import io.dicomspanner.dicom.data.synth.SyntheticSeries;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.data.synth.SyntheticStudy;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.interop.Echoscu;
import io.dicomspanner.dicom.interop.Findscu;
import io.dicomspanner.dicom.interop.OrthancPeer;
import io.dicomspanner.dicom.interop.UnusualPorts;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.listener.aetitle.ScpConfigs;
import io.dicomspanner.listener.server.DimseServer;
import io.dicomspanner.listener.testing.FindscuDebugLog;
import io.dicomspanner.listener.testing.ServiceJar;
import io.dicomspanner.listener.testing.SpanningDatabase;
import io.dicomspanner.listener.testing.TestSealing;
import io.dicomspanner.schema.testing.TestDatabase;
import io.dicomspanner.simulator.SimulatedFleet;
import io.dicomspanner.simulator.config.PacsSettings;
import io.dicomspanner.simulator.config.PopulationSettings;
import io.dicomspanner.simulator.config.SimulatorSettings;
import io.dicomspanner.simulator.net.NetworkSettings;
import io.dicomspanner.simulator.net.NetworkedFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * dcmtk's findscu against the listener, which spans a mixed fleet through the real coordinator and worker (run from
 * their jars) over real RabbitMQ, Redis and PostgreSQL: two dcmqrscp (the second holding half of the first's studies),
 * an Orthanc (holding the other half) and two simulated PACS. Every spanned answer must equal the union of findscu's answers from each PACS alone,
 * de-duplicated by the level's unique key, each record naming in Retrieve AE Title every PACS that holds it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class FindscuThroughTheListenerTest {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String REQUESTS_QUEUE = "spanner.requests.listener-test-" + RUN;
    static final TestDatabase DB = TestDatabase.create("spanner_listener");

    static final String SPANNED = "SPAN_ALL";
    static final String RESTRICTED = "SPAN_LIMITED";
    static final String DISABLED = "SPAN_OFF";
    static final String WITH_SLOW_PACS = "SPAN_SLOW";

    private static final ElementDictionary DICTIONARY = ElementDictionary.standard();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::url);
        registry.add("spanner.listener.dicom.bind-address", () -> "127.0.0.1");
        registry.add("spanner.listener.dicom.port", () -> 0);
        registry.add("spanner.listener.span.requests-routing-key", () -> REQUESTS_QUEUE);
        registry.add("spanner.listener.span.instance-id", () -> "listener-test-" + RUN);
        registry.add("spanner.listener.config-refresh", () -> "1h");
    }

    @Autowired
    DimseServer server;

    @Autowired
    ScpConfigs configs;

    @Autowired
    AmqpAdmin admin;

    /** A PACS of the fleet: how findscu reaches it alone. */
    record Peer(String aeTitle, int port, long sourceId) {}

    final List<AutoCloseable> running = new ArrayList<>();
    final List<Peer> spannedPeers = new ArrayList<>();
    final List<Long> sourceIds = new ArrayList<>();
    SyntheticStudies data;
    Path subsetDir;
    OrthancPeer orthanc;

    @BeforeAll
    void startFleetCoordinatorAndWorker() throws Exception {
        data = SyntheticStudies.generate(5, 6, 2, 2, 2);
        subsetDir = Files.createTempDirectory("listener-dcm-b-");
        List<Path> subset = new ArrayList<>();
        List<Path> otherHalf = new ArrayList<>();
        for (SyntheticInstance instance : data.instances()) {
            Path file = subsetDir.resolve(instance.sopInstanceUid() + ".dcm");
            Files.write(file, instance.toPart10());
            (heldByBoth(instance.dataset().getString(Tag.PATIENT_ID)) ? subset : otherHalf).add(file);
        }
        DcmqrscpPeer dcmA =
                DcmqrscpPeer.builder().aeTitle("DCM_A").studies(data).start();
        running.add(dcmA);
        DcmqrscpPeer dcmB =
                DcmqrscpPeer.builder().aeTitle("DCM_B").files(subset).start();
        running.add(dcmB);
        // Orthanc is both a PACS of the fleet and, through its remote modality LISTENER, an SCU of the listener.
        // Case-sensitive PN matching, as dcmqrscp and the coordinator's re-check match.
        orthanc = OrthancPeer.builder()
                .aeTitle("ORTHANC_PACS")
                .dicomWeb(false)
                .caseSensitivePatientName(true)
                .modality("LISTENER", SPANNED, "127.0.0.1", server.port())
                .start();
        running.add(orthanc);
        orthanc.upload(otherHalf);

        List<PacsSettings> pacs = List.of(
                PacsSettings.defaults(0).withoutQuirks().withLatency(0, 0).withPort(UnusualPorts.pick()),
                PacsSettings.defaults(1).withoutQuirks().withLatency(0, 0).withPort(UnusualPorts.pick()),
                PacsSettings.defaults(2).withoutQuirks().withLatency(8000, 8000).withPort(UnusualPorts.pick()));
        NetworkedFleet simulators = NetworkedFleet.start(
                SimulatedFleet.build(new SimulatorSettings(
                        PopulationSettings.defaults()
                                .withSeed(3)
                                .withPatients(30)
                                .withConflictingCopyShare(0),
                        pacs)),
                NetworkSettings.defaults());
        running.add(simulators);

        SpanningDatabase db = new SpanningDatabase(DB);
        Peer a = peer(db, "DCM_A", dcmA.port(), false);
        Peer b = peer(db, "DCM_B", dcmB.port(), false);
        Peer orthancPeer = peer(db, orthanc.aeTitle(), orthanc.dicomPort(), false);
        Peer simA = peer(db, pacs.get(0).aeTitle(), pacs.get(0).port(), true);
        Peer simB = peer(db, pacs.get(1).aeTitle(), pacs.get(1).port(), true);
        Peer slow = peer(db, pacs.get(2).aeTitle(), pacs.get(2).port(), true);
        spannedPeers.addAll(List.of(a, b, orthancPeer, simA, simB));
        // most_complete answers at the end, when every holder of a record is known; first_wins streams a record as soon
        // as every better-ranked PACS has answered, naming the holders known by then.
        db.config(
                SPANNED,
                true,
                List.of(),
                "most_complete",
                List.of(a.sourceId(), b.sourceId(), orthancPeer.sourceId(), simA.sourceId(), simB.sourceId()));
        db.config(RESTRICTED, true, List.of("GOODSCU"), "first_wins", List.of(a.sourceId()));
        db.config(DISABLED, false, List.of(), "first_wins", List.of(a.sourceId()));
        db.config(WITH_SLOW_PACS, true, List.of(), "first_wins", List.of(a.sourceId(), slow.sourceId()));
        configs.refresh();

        running.add(ServiceJar.start(
                "spanner-coordinator",
                List.of(
                        "--spring.datasource.url=" + DB.url(),
                        "--spanner.coordinator.requests-queue=" + REQUESTS_QUEUE,
                        "--spanner.coordinator.instance-id=listener-test-" + RUN,
                        "--spanner.phi.token-secret=listener-test-token-secret-of-32-bytes-or-more",
                        "--spanner.data-key.current=" + TestSealing.KEY)));
        running.add(ServiceJar.start(
                "dimse-query-worker",
                List.of(
                        "--spanner.worker.sources="
                                + sourceIds.stream().map(String::valueOf).collect(Collectors.joining(",")),
                        "--spanner.worker.health.enabled=false",
                        "--spanner.data-key.current=" + TestSealing.KEY)));
    }

    private Peer peer(SpanningDatabase db, String aeTitle, int port, boolean relational) {
        long id = db.source(aeTitle + "-" + RUN, aeTitle, port, relational);
        sourceIds.add(id);
        return new Peer(aeTitle, port, id);
    }

    /** DCM_B holds the first three synthetic patients' studies, Orthanc the other three's. */
    private static boolean heldByBoth(String patientId) {
        return patientId.compareTo("SYN5-00003") <= 0;
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        admin.deleteQueue(REQUESTS_QUEUE);
        for (long id : sourceIds) {
            admin.deleteQueue(Topology.taskQueue(id));
        }
        if (subsetDir != null) {
            try (var files = Files.list(subsetDir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(subsetDir);
        }
        DB.close();
    }

    // ---- spanned answers equal the union of every PACS's own answer ----

    @Test
    void studyRootStudyLevelWithDateRangeAndNameWildcardIsTheUnionOfEveryPacs() throws Exception {
        Attributes identifier = identifier("STUDY")
                .setString(Tag.STUDY_DATE, VR.DA, "20130101-20241231")
                .setString(Tag.PATIENT_NAME, VR.PN, "*e*")
                .setNull(Tag.PATIENT_ID, VR.LO)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                .setNull(Tag.ACCESSION_NUMBER, VR.SH)
                .setNull(tag("ModalitiesInStudy"), VR.CS);

        assertSpannedIsUnionOfPeers(
                Findscu.Model.STUDY_ROOT,
                QueryLevel.STUDY,
                identifier,
                Tag.PATIENT_NAME,
                Tag.PATIENT_ID,
                Tag.STUDY_DATE);
    }

    @Test
    void studyRootSeriesLevelOfAStudyOnTwoPacsIsTheUnionOfEveryPacs() throws Exception {
        SyntheticStudy shared = patient("SYN5-00002").studies().get(0);
        Attributes identifier = identifier("SERIES")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, shared.studyInstanceUid())
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI)
                .setNull(tag("Modality"), VR.CS)
                .setNull(tag("SeriesNumber"), VR.IS);

        Map<String, Attributes> answer = assertSpannedIsUnionOfPeers(
                Findscu.Model.STUDY_ROOT, QueryLevel.SERIES, identifier, tag("Modality"), tag("SeriesNumber"));

        assertThat(answer).hasSize(shared.series().size());
        for (Attributes series : answer.values()) {
            assertThat(series.getStrings(Tag.RETRIEVE_AE_TITLE)).containsExactlyInAnyOrder("DCM_A", "DCM_B");
        }
    }

    @Test
    void studyRootImageLevelIsTheUnionOfEveryPacs() throws Exception {
        SyntheticStudy study = patient("SYN5-00005").studies().get(1);
        SyntheticSeries series = study.series().get(0);
        Attributes identifier = identifier("IMAGE")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, study.studyInstanceUid())
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, series.seriesInstanceUid())
                .setNull(Tag.SOP_INSTANCE_UID, VR.UI)
                .setNull(tag("SOPClassUID"), VR.UI)
                .setNull(tag("InstanceNumber"), VR.IS);

        Map<String, Attributes> answer = assertSpannedIsUnionOfPeers(
                Findscu.Model.STUDY_ROOT, QueryLevel.IMAGE, identifier, tag("SOPClassUID"), tag("InstanceNumber"));

        assertThat(answer).hasSize(2);
        for (Attributes image : answer.values()) {
            assertThat(image.getStrings(Tag.RETRIEVE_AE_TITLE)).containsExactlyInAnyOrder("DCM_A", "ORTHANC_PACS");
        }
    }

    @Test
    void patientRootPatientLevelWithNameWildcardIsTheUnionOfEveryPacs() throws Exception {
        Attributes identifier = identifier("PATIENT")
                .setString(Tag.PATIENT_NAME, VR.PN, "*o*")
                .setNull(Tag.PATIENT_ID, VR.LO)
                .setNull(Tag.ISSUER_OF_PATIENT_ID, VR.LO)
                .setNull(tag("PatientBirthDate"), VR.DA)
                .setNull(tag("PatientSex"), VR.CS);

        assertSpannedIsUnionOfPeers(
                Findscu.Model.PATIENT_ROOT,
                QueryLevel.PATIENT,
                identifier,
                Tag.PATIENT_NAME,
                tag("PatientBirthDate"),
                tag("PatientSex"));
    }

    @Test
    void patientRootStudyAndSeriesLevelsOfOnePatientAreTheUnionOfEveryPacs() throws Exception {
        SyntheticPatient patient = patient("SYN5-00003");
        Attributes studies = identifier("STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, patient.patientId())
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                .setNull(Tag.STUDY_DATE, VR.DA)
                .setNull(tag("StudyTime"), VR.TM);
        Attributes series = identifier("SERIES")
                .setString(Tag.PATIENT_ID, VR.LO, patient.patientId())
                .setString(
                        Tag.STUDY_INSTANCE_UID, VR.UI, patient.studies().get(1).studyInstanceUid())
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI)
                .setNull(tag("Modality"), VR.CS);

        Map<String, Attributes> studyAnswer = assertSpannedIsUnionOfPeers(
                Findscu.Model.PATIENT_ROOT, QueryLevel.STUDY, studies, Tag.STUDY_DATE, tag("StudyTime"));
        Map<String, Attributes> seriesAnswer =
                assertSpannedIsUnionOfPeers(Findscu.Model.PATIENT_ROOT, QueryLevel.SERIES, series, tag("Modality"));

        assertThat(studyAnswer.keySet())
                .containsExactlyInAnyOrderElementsOf(patient.studies().stream()
                        .map(SyntheticStudy::studyInstanceUid)
                        .toList());
        assertThat(seriesAnswer).hasSize(2);
    }

    @Test
    void patientStudyOnlyStudyLevelGivesWhatStudyRootGives() throws Exception {
        Attributes identifier = identifier("STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, "SYN5-00004")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setNull(Tag.STUDY_DATE, VR.DA);

        // findscu -O proposes Patient/Study Only (the last model option given wins over the helper's -S)
        Findscu.Result patientStudyOnly =
                listener(SPANNED).identifier(identifier).options("-O", "-d").run();
        Findscu.Result studyRoot = listener(SPANNED).identifier(identifier).run();

        assertThat(patientStudyOnly.log())
                .contains("Affected SOP Class UID        : RETIRED_FINDPatientStudyOnlyQueryRetrieveInformationModel");
        assertThat(FindscuDebugLog.finalStatus(patientStudyOnly))
                .as(patientStudyOnly.log())
                .isEqualTo(Status.SUCCESS);
        assertThat(patientStudyOnly.responses()).hasSize(2);
        assertThat(patientStudyOnly.responses().stream()
                        .map(FindscuThroughTheListenerTest::studyRow)
                        .toList())
                .containsExactlyInAnyOrderElementsOf(studyRoot.responses().stream()
                        .map(FindscuThroughTheListenerTest::studyRow)
                        .toList());
    }

    @Test
    void aNonAsciiNameInLatin1IsMatchedAndAnsweredInLatin1() throws Exception {
        Attributes latin1 = identifier("STUDY")
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100")
                .setString(Tag.PATIENT_NAME, VR.PN, "Åström^Björn")
                .setNull(Tag.PATIENT_ID, VR.LO)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        Map<String, Attributes> answer =
                assertSpannedIsUnionOfPeers(Findscu.Model.STUDY_ROOT, QueryLevel.STUDY, latin1, Tag.PATIENT_ID);

        assertThat(answer).hasSize(2);
        for (Attributes study : answer.values()) {
            assertThat(study.getStrings(Tag.SPECIFIC_CHARACTER_SET)).containsExactly("ISO_IR 100");
            assertThat(study.getBytes(Tag.PATIENT_NAME))
                    .isEqualTo(SpecificCharacterSet.valueOf("ISO_IR 100").encode("Åström^Björn", VR.PN));
            assertThat(study.getStrings(Tag.RETRIEVE_AE_TITLE)).containsExactlyInAnyOrder("DCM_A", "DCM_B");
        }
    }

    @Test
    void aNameLatin1CannotHoldIsAnsweredInUtf8() throws Exception {
        Attributes latin1 = identifier("STUDY")
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100")
                .setString(Tag.PATIENT_ID, VR.LO, "SYN5-00001")
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        Map<String, Attributes> answer =
                assertSpannedIsUnionOfPeers(Findscu.Model.STUDY_ROOT, QueryLevel.STUDY, latin1, Tag.PATIENT_NAME);

        assertThat(answer).hasSize(2);
        for (Attributes study : answer.values()) {
            assertThat(study.getStrings(Tag.SPECIFIC_CHARACTER_SET)).containsExactly("ISO_IR 192");
            assertThat(study.getString(Tag.PATIENT_NAME)).isEqualTo("Suzuki^Hanako=鈴木^花子=すずき^はなこ");
        }
    }

    @Test
    void orthancAsScuThroughTheListenerGetsTheSpannedAnswer() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("PatientName", "*o*");
        keys.put("StudyInstanceUID", "");
        keys.put("PatientID", "");
        keys.put("StudyDate", "");

        List<Attributes> viaOrthanc = orthanc.queryModality("LISTENER", "STUDY", keys);
        Findscu.Result viaFindscu = listener(SPANNED)
                .level("STUDY")
                .key("PatientName", "*o*")
                .key("StudyInstanceUID")
                .key("PatientID")
                .key("StudyDate")
                .run();

        assertThat(viaFindscu.finalStatus()).as(viaFindscu.log()).isEqualTo(Status.SUCCESS);
        assertThat(viaOrthanc).isNotEmpty();
        assertThat(viaOrthanc.stream()
                        .map(FindscuThroughTheListenerTest::studyRow)
                        .toList())
                .containsExactlyInAnyOrderElementsOf(viaFindscu.responses().stream()
                        .map(FindscuThroughTheListenerTest::studyRow)
                        .toList());
    }

    private static List<String> studyRow(Attributes study) {
        return List.of(
                study.getString(Tag.STUDY_INSTANCE_UID),
                String.valueOf(study.getString(Tag.PATIENT_ID)),
                String.valueOf(study.getString(Tag.PATIENT_NAME)),
                String.valueOf(study.getString(Tag.STUDY_DATE)));
    }

    // ---- C-CANCEL ----

    @Test
    void cCancelEndsWithFe00AndStopsTheFanOut() throws Exception {
        Findscu.Result cancelled = listener(WITH_SLOW_PACS)
                .callingAe("CANCELSCU")
                .level("STUDY")
                .key("StudyInstanceUID")
                .key("PatientID")
                .cancelAfter(1)
                .run();

        assertThat(cancelled.finalStatus()).as(cancelled.log()).isEqualTo(Status.CANCEL);
        // first_wins streamed DCM_A's studies as soon as DCM_A (ranked first) had answered, 8 s before the slow PACS
        // would; what was on the wire before the C-CANCEL still arrives, nothing of the slow PACS does.
        assertThat(cancelled.responses())
                .isNotEmpty()
                .hasSizeLessThanOrEqualTo(data.studies().size());
        for (Attributes study : cancelled.responses()) {
            assertThat(study.getStrings(Tag.RETRIEVE_AE_TITLE)).containsExactly("DCM_A");
        }
        // The slow PACS was still answering: its task ends cancelled, so fewer sources answered than were asked.
        Map<String, Object> logged = awaitQueryLog("CANCELSCU");
        assertThat(logged.get("sources_asked")).isEqualTo(2);
        assertThat(logged.get("sources_answered")).isEqualTo(1);
        assertThat((String) logged.get("error")).contains("CANCELLED");
        assertThat(logged.get("entry_point")).isEqualTo("dimse");
        assertListenerStillAnswers();
    }

    // ---- refusals, each leaving the listener up ----

    @Test
    void anUnknownCalledAeTitleIsRejectedAtAssociation() throws Exception {
        Findscu.Result result =
                listener("NO_SUCH_AE").level("STUDY").key("PatientID").run();

        assertThat(result.finalStatus()).isEqualTo(Findscu.NO_FINAL_RESPONSE);
        assertThat(result.log()).contains("Rejected Permanent").contains("Called AE Title Not Recognized");
        assertListenerStillAnswers();
    }

    @Test
    void aDisabledConfigsAeTitleIsRejectedAtAssociation() throws Exception {
        Findscu.Result result =
                listener(DISABLED).level("STUDY").key("PatientID").run();

        assertThat(result.log()).contains("Rejected Permanent").contains("Called AE Title Not Recognized");
        assertListenerStillAnswers();
    }

    @Test
    void aCallingAeTitleOffTheAllowListIsRejectedAndOneOnItAccepted() throws Exception {
        Findscu.Result refused = listener(RESTRICTED)
                .callingAe("BADSCU")
                .level("STUDY")
                .key("PatientID", "SYN5-00004")
                .run();
        Findscu.Result allowed = listener(RESTRICTED)
                .callingAe("GOODSCU")
                .level("STUDY")
                .key("PatientID", "SYN5-00004")
                .key("StudyInstanceUID")
                .run();

        assertThat(refused.finalStatus()).isEqualTo(Findscu.NO_FINAL_RESPONSE);
        assertThat(refused.log()).contains("Rejected Permanent").contains("Calling AE Title Not Recognized");
        assertThat(allowed.finalStatus()).as(allowed.log()).isEqualTo(Status.SUCCESS);
        assertThat(allowed.responses()).hasSize(2);
        assertListenerStillAnswers();
    }

    @Test
    void anInvalidDateRangeIsAnsweredC000WithAnErrorComment() throws Exception {
        Findscu.Result result = listener(SPANNED)
                .level("STUDY")
                .key("StudyDate", "20250131-20250101")
                .key("StudyInstanceUID")
                .options("-d")
                .run();

        assertThat(FindscuDebugLog.finalStatus(result)).as(result.log()).isEqualTo(Status.UNABLE_TO_PROCESS);
        assertThat(result.responses()).isEmpty();
        assertThat(result.log())
                .contains("(0000,0901) AT (0008,0020)")
                .contains("(0000,0902) LO [StudyDate (0008,0020): not a DA value or range: the range starts]");
        assertListenerStillAnswers();
    }

    @Test
    void aKeyBelowTheQueryLevelIsAnsweredA900() throws Exception {
        Findscu.Result result = listener(SPANNED)
                .level("STUDY")
                .key("SOPInstanceUID", "1.2.3")
                .key("StudyInstanceUID")
                .options("-d")
                .run();

        assertThat(FindscuDebugLog.finalStatus(result))
                .as(result.log())
                .isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
        assertThat(result.log())
                .contains("(0000,0901) AT (0008,0018)")
                .contains("(0000,0902) LO [SOPInstanceUID is not a key of the STUDY level]");
        assertListenerStillAnswers();
    }

    @Test
    void aLevelTheModelDoesNotHaveIsAnsweredA900() throws Exception {
        Findscu.Result result = listener(SPANNED)
                .model(Findscu.Model.STUDY_ROOT)
                .level("PATIENT")
                .key("PatientID")
                .run();

        assertThat(result.finalStatus()).as(result.log()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
        assertListenerStillAnswers();
    }

    @Test
    void anUnsupportedSopClassGetsNoPresentationContext() throws Exception {
        // -W proposes Modality Worklist Information Model - FIND, which the listener does not offer.
        Findscu.Result result = listener(SPANNED).options("-W").key("PatientID").run();

        assertThat(result.finalStatus()).isEqualTo(Findscu.NO_FINAL_RESPONSE);
        assertThat(result.log()).contains("No Acceptable Presentation Contexts");
        assertListenerStillAnswers();
    }

    @Test
    void cEchoIsAnsweredUnderAConfigsAeTitle() throws Exception {
        assertListenerStillAnswers();
    }

    // ---- helpers ----

    private void assertListenerStillAnswers() throws Exception {
        Echoscu.Result echo = Echoscu.to("127.0.0.1", server.port(), SPANNED).run();
        assertThat(echo.succeeded()).as(echo.log()).isTrue();
    }

    private Findscu listener(String calledAe) {
        return Findscu.to("127.0.0.1", server.port(), calledAe);
    }

    private static Attributes identifier(String level) {
        return new Attributes().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, level);
    }

    private static int tag(String keyword) {
        return DICTIONARY.tagOf(keyword);
    }

    private SyntheticPatient patient(String patientId) {
        return data.patients().stream()
                .filter(p -> p.patientId().equals(patientId))
                .findFirst()
                .orElseThrow();
    }

    /**
     * Runs the query through the listener and against every PACS alone (in UTF-8, as the worker asks them), and
     * asserts: the same unique keys; each record's Retrieve AE Title = the PACS that returned it; Query/Retrieve Level
     * echoed; exactly the requested attributes plus Query/Retrieve Level and Retrieve AE Title (and Specific Character
     * Set when needed); each compared attribute holding a value some PACS gave for the record (empty only if none did).
     *
     * @return the spanned records by unique key
     */
    private Map<String, Attributes> assertSpannedIsUnionOfPeers(
            Findscu.Model model, QueryLevel level, Attributes identifier, int... compared) throws Exception {
        Findscu.Result spanned =
                listener(SPANNED).model(model).identifier(identifier).run();
        assertThat(spanned.finalStatus()).as(spanned.log()).isEqualTo(Status.SUCCESS);

        Attributes utf8 = inUtf8(identifier);
        Map<String, List<String>> holders = new LinkedHashMap<>();
        Map<String, List<Attributes>> copies = new HashMap<>();
        for (Peer peer : spannedPeers) {
            Findscu.Result alone = Findscu.to("127.0.0.1", peer.port(), peer.aeTitle())
                    .model(model)
                    .identifier(utf8)
                    .run();
            assertThat(alone.finalStatus()).as(alone.log()).isEqualTo(Status.SUCCESS);
            for (Attributes record : alone.responses()) {
                String key = uniqueKey(level, record);
                holders.computeIfAbsent(key, k -> new ArrayList<>()).add(peer.aeTitle());
                copies.computeIfAbsent(key, k -> new ArrayList<>()).add(record);
            }
        }

        Map<String, Attributes> actual = new LinkedHashMap<>();
        for (Attributes record : spanned.responses()) {
            assertThat(actual.put(uniqueKey(level, record), record))
                    .as("one record per key")
                    .isNull();
        }
        assertThat(holders).as("the query must find something to compare").isNotEmpty();
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(holders.keySet());

        Set<Integer> requested = tagsOf(identifier);
        requested.remove(Tag.SPECIFIC_CHARACTER_SET);
        requested.add(Tag.RETRIEVE_AE_TITLE);
        for (Map.Entry<String, Attributes> e : actual.entrySet()) {
            Attributes record = e.getValue();
            assertThat(record.getStrings(Tag.RETRIEVE_AE_TITLE))
                    .containsExactlyInAnyOrderElementsOf(new LinkedHashSet<>(holders.get(e.getKey())));
            assertThat(record.getString(Tag.QUERY_RETRIEVE_LEVEL)).isEqualTo(level.code());
            Set<Integer> returned = tagsOf(record);
            returned.remove(Tag.SPECIFIC_CHARACTER_SET);
            assertThat(returned).containsExactlyInAnyOrderElementsOf(requested);
            for (int tag : compared) {
                // most_complete keeps a value where some PACS has one (dcmqrscp returns no SOP Class UID, Orthanc does)
                List<List<String>> given = copies.get(e.getKey()).stream()
                        .map(copy -> List.of(copy.getStrings(tag)))
                        .filter(values -> !values.isEmpty())
                        .distinct()
                        .toList();
                List<String> spannedValue = List.of(record.getStrings(tag));
                if (given.isEmpty()) {
                    assertThat(spannedValue).as(DICTIONARY.keywordOf(tag)).isEmpty();
                } else {
                    assertThat(given).as(DICTIONARY.keywordOf(tag)).contains(spannedValue);
                }
            }
        }
        return actual;
    }

    private static String uniqueKey(QueryLevel level, Attributes record) {
        if (level == QueryLevel.PATIENT) {
            String issuer = record.getString(Tag.ISSUER_OF_PATIENT_ID);
            return record.getString(Tag.PATIENT_ID) + "\\" + (issuer == null ? "" : issuer);
        }
        return level.uniqueKeyOf(record);
    }

    private static Set<Integer> tagsOf(Attributes a) {
        Set<Integer> tags = new TreeSet<>();
        for (int i = 0; i < a.size(); i++) {
            tags.add(a.tagAt(i));
        }
        return tags;
    }

    private static Attributes inUtf8(Attributes identifier) {
        if (identifier.specificCharacterSet().isDefault()) {
            return identifier;
        }
        Attributes utf8 = new Attributes().setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
        for (int i = 0; i < identifier.size(); i++) {
            int tag = identifier.tagAt(i);
            if (tag != Tag.SPECIFIC_CHARACTER_SET) {
                utf8.copyFrom(identifier, tag);
            }
        }
        return utf8;
    }

    /** The query log row the coordinator wrote for the last query of this calling AE (written off its merge thread). */
    private static Map<String, Object> awaitQueryLog(String callingAe) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Connection c = DB.connect();
                    PreparedStatement s = c.prepareStatement("""
                            select entry_point, sources_asked, sources_answered, error from query_log
                            where caller_ae_title = ? order by started_at desc limit 1
                            """)) {
                s.setString(1, callingAe);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        return Map.of(
                                "entry_point", rs.getString(1),
                                "sources_asked", rs.getInt(2),
                                "sources_answered", rs.getInt(3),
                                "error", String.valueOf(rs.getString(4)));
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no query_log row for " + callingAe);
    }
}
