package io.dicomspanner.simulator.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.interop.Echoscu;
import io.dicomspanner.dicom.interop.Findscu;
import io.dicomspanner.dicom.interop.UnusualPorts;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRejectedException;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.net.service.FindQuery;
import io.dicomspanner.dicom.net.service.FindResult;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.simulator.SimulatedFleet;
import io.dicomspanner.simulator.config.PacsMode;
import io.dicomspanner.simulator.config.PacsSettings;
import io.dicomspanner.simulator.config.PopulationSettings;
import io.dicomspanner.simulator.config.SimulatorSettings;
import io.dicomspanner.simulator.data.StudyCopy;
import io.dicomspanner.simulator.data.StudyRecord;
import io.dicomspanner.simulator.find.FindResponses;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A small simulated fleet on the network, proven with dcmtk's findscu and echoscu and with dicom's own SCU. Expected
 * answers come from a second fleet built from the same settings and asked through its engine, never over the wire.
 */
class NetworkedFleetTest {
    private static final String HOST = NetworkSettings.DEFAULT_BIND_ADDRESS;
    private static final int LATENCY_MILLIS = 400;
    private static final int MAX_ASSOCIATIONS = 2;

    private static final int PLAIN = 0;
    private static final int SECOND = 1;
    private static final int NO_RELATIONAL = 2;
    private static final int HANGING = 3;
    private static final int DEAD = 4;
    private static final int LIMITED = 5;
    private static final int SLOW = 6;
    private static final int FAILING = 7;

    private static SimulatorSettings settings;
    private static SimulatedFleet expected;
    private static NetworkedFleet running;
    private static DicomClient client;

    @BeforeAll
    static void startFleet() throws Exception {
        List<PacsSettings> pacs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pacs.add(PacsSettings.defaults(i).withoutQuirks().withLatency(0, 0).withPort(UnusualPorts.pick()));
        }
        pacs.set(NO_RELATIONAL, pacs.get(NO_RELATIONAL).withRelationalQueries(false));
        pacs.set(HANGING, pacs.get(HANGING).withMode(PacsMode.HANGING));
        pacs.set(DEAD, pacs.get(DEAD).withMode(PacsMode.DEAD));
        pacs.set(LIMITED, pacs.get(LIMITED).withMaxAssociations(MAX_ASSOCIATIONS));
        pacs.set(SLOW, pacs.get(SLOW).withLatency(LATENCY_MILLIS, LATENCY_MILLIS));
        pacs.set(FAILING, pacs.get(FAILING).withErrorRate(1));
        settings =
                new SimulatorSettings(PopulationSettings.defaults().withSeed(11).withPatients(300), pacs);
        expected = SimulatedFleet.build(settings);
        // two responses per turn, so answers of several matches go through the answer threads' queue midway
        running = NetworkedFleet.start(
                SimulatedFleet.build(settings), NetworkSettings.defaults().withResponsesPerTurn(2));
        client = new DicomClient(DicomSettings.defaults());
    }

    @AfterAll
    static void stopFleet() {
        if (client != null) {
            client.close();
        }
        if (running != null) {
            running.close();
        }
    }

    @Test
    void studyLevelQueryByPatientIdOnTwoPacsReturnsExactlyTheEnginesAnswer() throws Exception {
        StudyRecord shared = firstStudyOn(PLAIN, SECOND);
        String patientId = copyOn(shared, PLAIN).patientId();
        Attributes query = studyQuery(patientId);

        for (int index : new int[] {PLAIN, SECOND}) {
            Findscu.Result answer = findscu(index).identifier(query).run();

            List<Attributes> engine =
                    drain(expected.pacs().get(index).engine().find(InformationModel.STUDY_ROOT, query));
            assertThat(engine)
                    .extracting(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                    .contains(shared.studyInstanceUid());
            assertThat(answer.finalStatus()).isEqualTo(Status.SUCCESS);
            assertThat(answer.pendingStatuses()).hasSize(engine.size()).containsOnly(Status.PENDING);
            assertThat(answer.responses()).isEqualTo(engine);
            assertThat(answer.responses())
                    .extracting(a -> a.getString(Tag.RETRIEVE_AE_TITLE))
                    .containsOnly(settings.pacs().get(index).aeTitle());
        }
    }

    @Test
    void patientRootPatientLevelQueryReturnsExactlyTheEnginesAnswer() throws Exception {
        String patientId = firstStudyOn(PLAIN).patient().patientId();
        Attributes query = new Attributes();
        query.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT");
        query.setString(Tag.PATIENT_ID, VR.LO, patientId);
        query.setNull(Tag.ISSUER_OF_PATIENT_ID, VR.LO);
        query.setNull(Tag.PATIENT_NAME, VR.PN);
        query.setNull(Tag.PATIENT_BIRTH_DATE, VR.DA);
        query.setNull(Tag.PATIENT_SEX, VR.CS);

        Findscu.Result answer = findscu(PLAIN)
                .model(Findscu.Model.PATIENT_ROOT)
                .identifier(query)
                .run();

        List<Attributes> engine = drain(expected.pacs().get(PLAIN).engine().find(InformationModel.PATIENT_ROOT, query));
        assertThat(engine).extracting(a -> a.getString(Tag.PATIENT_ID)).contains(patientId);
        assertThat(answer.finalStatus()).isEqualTo(Status.SUCCESS);
        assertThat(answer.responses()).isEqualTo(engine);
    }

    @Test
    void patientStudyOnlyStudyLevelQueryReturnsExactlyTheEnginesAnswerAndHasNoSeriesLevel() throws Exception {
        Attributes query = studyQuery(firstStudyOn(PLAIN).patient().patientId());
        Attributes seriesQuery = Attributes.copyOf(query);
        seriesQuery.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES");

        Association as = connect(PLAIN, AssociationRequest.forQuery(aeTitle(PLAIN), "PSONLY"));
        try {
            FindResult studies = CFindScu.findAll(as, FindQuery.of(SopClasses.PATIENT_STUDY_ONLY_QUERY_FIND, query))
                    .get(30, TimeUnit.SECONDS);
            FindResult series = CFindScu.findAll(
                            as, FindQuery.of(SopClasses.PATIENT_STUDY_ONLY_QUERY_FIND, seriesQuery))
                    .get(30, TimeUnit.SECONDS);

            List<Attributes> engine =
                    drain(expected.pacs().get(PLAIN).engine().find(InformationModel.PATIENT_STUDY_ONLY, query));
            assertThat(engine).isNotEmpty();
            assertThat(studies.status()).isEqualTo(Status.SUCCESS);
            assertThat(studies.matches()).isEqualTo(engine);
            assertThat(series.status()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
            assertThat(series.matches()).isEmpty();
        } finally {
            as.release().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anInjectedFailureIsAnsweredWithOutOfResourcesAndNoMatch() throws Exception {
        Findscu.Result answer = findscu(FAILING)
                .identifier(studyQuery(firstStudyOn(FAILING).patient().patientId()))
                .run();

        assertThat(answer.finalStatus()).isEqualTo(Status.OUT_OF_RESOURCES);
        assertThat(answer.responses()).isEmpty();
    }

    @Test
    void aKeyValueNoMatchingRuleTakesFailsWithTheAttributeAsOffendingElement() throws Exception {
        Attributes query = studyQuery(firstStudyOn(PLAIN).patient().patientId());
        query.setString(Tag.STUDY_DATE, VR.DA, "yesterday");

        Findscu.Result answer = findscu(PLAIN).identifier(query).options("-d").run();

        FindResponses engine = expected.pacs().get(PLAIN).engine().find(InformationModel.STUDY_ROOT, query);
        assertThat(engine.hasNext()).isFalse();
        assertThat(engine.finalStatus().code()).isEqualTo(Status.UNABLE_TO_PROCESS);
        // with -d, findscu logs the final response as a command dump, which the harness does not parse
        assertThat(answer.responses()).isEmpty();
        assertThat(answer.log())
                .contains("DIMSE Status                  : 0xc000")
                .containsPattern("\\(0000,0901\\) AT \\(0008,0020\\) ");
    }

    @Test
    void concurrentQueriesOnManyAssociationsEachGetTheirOwnAnswer() throws Exception {
        List<String> patientIds = expected.dataset().view(PLAIN).studies().stream()
                .map(StudyCopy::patientId)
                .distinct()
                .limit(12)
                .toList();
        List<Association> associations = new ArrayList<>();
        try {
            List<CompletableFuture<FindResult>> answers = new ArrayList<>();
            for (String patientId : patientIds) {
                Association as = connect(PLAIN, AssociationRequest.forQuery(aeTitle(PLAIN), "MANY"));
                associations.add(as);
                answers.add(CFindScu.findAll(as, FindQuery.studyRoot(studyQuery(patientId))));
            }

            for (int i = 0; i < patientIds.size(); i++) {
                FindResult answer = answers.get(i).get(30, TimeUnit.SECONDS);
                List<Attributes> engine = drain(expected.pacs()
                        .get(PLAIN)
                        .engine()
                        .find(InformationModel.STUDY_ROOT, studyQuery(patientIds.get(i))));
                assertThat(engine).isNotEmpty();
                assertThat(answer.status()).isEqualTo(Status.SUCCESS);
                assertThat(answer.matches()).isEqualTo(engine);
            }
        } finally {
            for (Association as : associations) {
                as.release().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void echoscuIsAnswered() throws Exception {
        Echoscu.Result echo = Echoscu.to(HOST, port(PLAIN), aeTitle(PLAIN)).run();

        assertThat(echo.succeeded()).as(echo.log()).isTrue();
    }

    @Test
    void anotherCalledAeTitleIsRejectedAsNotRecognized() throws Exception {
        Echoscu.Result echo =
                Echoscu.to(HOST, port(PLAIN), "NOT_" + aeTitle(PLAIN)).run();

        assertThat(echo.succeeded()).isFalse();
        assertThat(echo.log()).contains("Called AE Title Not Recognized");
        AAssociateRj reject = rejection(PLAIN, "NOT_" + aeTitle(PLAIN));
        assertThat(reject).isEqualTo(AAssociateRj.calledAeTitleNotRecognized());
    }

    @Test
    void aDeadPacsRefusesConnections() throws Exception {
        assertThat(running.servers().get(DEAD).isListening()).isFalse();
        assertThatThrownBy(() -> new Socket(HOST, port(DEAD)).close()).isInstanceOf(ConnectException.class);
        Echoscu.Result echo = Echoscu.to(HOST, port(DEAD), aeTitle(DEAD)).run();
        assertThat(echo.status()).isNull();
        assertThat(echo.exitCode()).isNotZero();
    }

    @Test
    void aHangingPacsAcceptsTheAssociationButNeverAnswersTheCFind() throws Exception {
        Findscu.Result answer = findscu(HANGING)
                .identifier(studyQuery(firstStudyOn(HANGING).patient().patientId()))
                .options("--dimse-timeout", "2")
                .run();

        assertThat(answer.log()).contains("Association Accepted");
        assertThat(answer.responses()).isEmpty();
        assertThat(answer.finalStatus()).isEqualTo(Findscu.NO_FINAL_RESPONSE);
        assertThat(Echoscu.to(HOST, port(HANGING), aeTitle(HANGING)).run().succeeded())
                .as("C-ECHO is answered")
                .isTrue();
    }

    @Test
    void aHangingPacsAnswersCCancelWithCancelAndKeepsTheAssociationUsable() throws Exception {
        Attributes query = studyQuery(firstStudyOn(HANGING).patient().patientId());
        Association as = connect(HANGING, AssociationRequest.forQuery(aeTitle(HANGING), "CANCELLER"));
        try {
            List<Attributes> received = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                // C-CANCEL follows the C-FIND on the same association, so the SCP always has the C-FIND by then
                var find = CFindScu.find(as, FindQuery.studyRoot(query), (op, id) -> received.add(id));
                find.cancel();
                FindOutcome outcome = find.completion().get(30, TimeUnit.SECONDS);

                assertThat(outcome.status()).isEqualTo(Status.CANCEL);
                assertThat(outcome.isCancelled()).isTrue();
                assertThat(outcome.cancelSent()).isTrue();
                assertThat(outcome.matches()).isZero();
            }
            assertThat(received).isEmpty();
            assertThat(as.isEstablished())
                    .as("the association outlives both cancelled C-FINDs")
                    .isTrue();
        } finally {
            as.release().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void oneAssociationMoreThanTheLimitIsRejectedTransientLocalLimitExceeded() throws Exception {
        List<Association> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_ASSOCIATIONS; i++) {
                held.add(connect(LIMITED, AssociationRequest.forEcho(aeTitle(LIMITED), "HOLDER")));
            }

            AAssociateRj reject = rejection(LIMITED, aeTitle(LIMITED));
            Echoscu.Result echo =
                    Echoscu.to(HOST, port(LIMITED), aeTitle(LIMITED)).run();

            assertThat(reject).isEqualTo(AAssociateRj.localLimitExceeded());
            assertThat(reject.isTransient()).isTrue();
            assertThat(echo.succeeded()).isFalse();
            assertThat(echo.log()).contains("Local Limit Exceeded");
        } finally {
            for (Association as : held) {
                as.release().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theFirstResponseComesNoSoonerThanTheLatency() throws Exception {
        Attributes query = studyQuery(firstStudyOn(SLOW).patient().patientId());
        Association as = connect(SLOW, AssociationRequest.forQuery(aeTitle(SLOW), "TIMER"));
        try {
            AtomicLong firstMatchNanos = new AtomicLong();
            long sentNanos = System.nanoTime();
            FindOutcome outcome = CFindScu.find(
                            as,
                            FindQuery.studyRoot(query),
                            (op, id) -> firstMatchNanos.compareAndSet(0, System.nanoTime()))
                    .completion()
                    .get(30, TimeUnit.SECONDS);

            assertThat(outcome.isSuccess()).isTrue();
            assertThat(outcome.matches()).isPositive();
            assertThat(Duration.ofNanos(firstMatchNanos.get() - sentNanos))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(LATENCY_MILLIS));
        } finally {
            as.release().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void findscuCancelAfterOneResponseEndsWithCancel() throws Exception {
        Attributes all = new Attributes();
        all.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY");
        all.setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        // matches 20 ms apart, so the C-CANCEL always arrives while most are still to come
        SimulatorSettings onePacs =
                settings.withPacs(List.of(settings.pacs().get(PLAIN).withPort(UnusualPorts.pick())));
        Findscu.Result answer;
        try (NetworkedFleet streaming = NetworkedFleet.start(
                SimulatedFleet.build(onePacs), NetworkSettings.defaults().withMatchInterval(Duration.ofMillis(20)))) {
            answer = Findscu.to(HOST, streaming.servers().get(0).port(), aeTitle(PLAIN))
                    .identifier(all)
                    .cancelAfter(1)
                    .run();
        }
        int totalOnOnePacs = drain(
                        SimulatedFleet.build(onePacs).pacs().get(0).engine().find(InformationModel.STUDY_ROOT, all))
                .size();

        assertThat(totalOnOnePacs).isGreaterThan(20);
        assertThat(answer.finalStatus()).isEqualTo(Status.CANCEL);
        assertThat(answer.responses()).isNotEmpty().hasSizeLessThan(totalOnOnePacs);
    }

    @Test
    void relationalSeriesQueryIsRefusedWithoutSupportAndAnsweredWithIt() throws Exception {
        String patientId = firstStudyOn(PLAIN, NO_RELATIONAL).patient().patientId();
        Attributes series = new Attributes();
        series.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES");
        series.setString(Tag.PATIENT_ID, VR.LO, patientId);
        series.setNull(Tag.SERIES_INSTANCE_UID, VR.UI);
        series.setNull(Tag.MODALITY, VR.CS);
        series.setNull(Tag.SERIES_NUMBER, VR.IS);

        FindResult unsupported =
                findAll(NO_RELATIONAL, AssociationRequest.forQuery(aeTitle(NO_RELATIONAL), "SCU"), series);
        FindResult supported = findAll(PLAIN, AssociationRequest.forQuery(aeTitle(PLAIN), "SCU"), series);
        FindResult notNegotiated = findAll(
                PLAIN, AssociationRequest.forQuery(aeTitle(PLAIN), "SCU").withExtendedNegotiations(List.of()), series);

        assertThat(unsupported.status()).isEqualTo(Status.UNABLE_TO_PROCESS);
        assertThat(unsupported.outcome().errorComment()).isEqualTo("Relational query not supported: PatientID");
        assertThat(unsupported.matches()).isEmpty();
        List<Attributes> engine = drain(expected.pacs().get(PLAIN).engine().find(InformationModel.STUDY_ROOT, series));
        assertThat(engine).isNotEmpty();
        assertThat(supported.status()).isEqualTo(Status.SUCCESS);
        assertThat(supported.matches()).isEqualTo(engine);
        assertThat(notNegotiated.status()).isEqualTo(Status.UNABLE_TO_PROCESS);
        assertThat(notNegotiated.outcome().errorComment()).isEqualTo("Relational query not negotiated: PatientID");
    }

    // ---------------------------------------------------------------- helpers

    private static int port(int index) {
        return running.servers().get(index).port();
    }

    private static String aeTitle(int index) {
        return settings.pacs().get(index).aeTitle();
    }

    private static Findscu findscu(int index) {
        return Findscu.to(HOST, port(index), aeTitle(index)).timeout(Duration.ofSeconds(60));
    }

    private static Attributes studyQuery(String patientId) {
        Attributes q = new Attributes();
        q.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY");
        q.setString(Tag.PATIENT_ID, VR.LO, patientId);
        q.setNull(Tag.ISSUER_OF_PATIENT_ID, VR.LO);
        q.setNull(Tag.PATIENT_NAME, VR.PN);
        q.setNull(Tag.PATIENT_BIRTH_DATE, VR.DA);
        q.setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        q.setNull(Tag.STUDY_DATE, VR.DA);
        q.setNull(Tag.STUDY_TIME, VR.TM);
        q.setNull(Tag.ACCESSION_NUMBER, VR.SH);
        q.setNull(Tag.STUDY_DESCRIPTION, VR.LO);
        q.setNull(Tag.MODALITIES_IN_STUDY, VR.CS);
        q.setNull(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS);
        q.setNull(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS);
        return q;
    }

    /** The first study with a copy on each of {@code pacs}, under one Patient ID everywhere. */
    private static StudyRecord firstStudyOn(int... pacs) {
        for (StudyRecord s : expected.dataset().studies()) {
            boolean everywhere = true;
            String patientId = null;
            for (int p : pacs) {
                StudyCopy c = copyOrNull(s, p);
                if (c == null || (patientId != null && !patientId.equals(c.patientId()))) {
                    everywhere = false;
                    break;
                }
                patientId = c.patientId();
            }
            if (everywhere) {
                return s;
            }
        }
        throw new IllegalStateException("no study of the test fleet is on all of those PACS");
    }

    private static StudyCopy copyOn(StudyRecord study, int pacs) {
        StudyCopy c = copyOrNull(study, pacs);
        if (c == null) {
            throw new IllegalStateException(study + " has no copy on PACS " + pacs);
        }
        return c;
    }

    private static StudyCopy copyOrNull(StudyRecord study, int pacs) {
        for (StudyCopy c : study.copies()) {
            if (c.pacs() == pacs) {
                return c;
            }
        }
        return null;
    }

    private static List<Attributes> drain(FindResponses responses) {
        List<Attributes> all = new ArrayList<>();
        responses.forEachRemaining(all::add);
        return all;
    }

    private static Association connect(int index, AssociationRequest request) throws Exception {
        return client.connect(
                        new DicomPeer(HOST, port(index), request.calledAeTitle(), request.callingAeTitle(), false),
                        request)
                .get(30, TimeUnit.SECONDS);
    }

    private static AAssociateRj rejection(int index, String calledAeTitle) {
        AssociationRequest request = AssociationRequest.forEcho(calledAeTitle, "PROBE");
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> connect(index, request));
        assertThat(failure)
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(AssociationRejectedException.class);
        return ((AssociationRejectedException) failure.getCause()).reject();
    }

    private static FindResult findAll(int index, AssociationRequest request, Attributes keys) throws Exception {
        Association as = connect(index, request);
        try {
            return CFindScu.findAll(as, FindQuery.studyRoot(keys)).get(30, TimeUnit.SECONDS);
        } finally {
            as.release().get(10, TimeUnit.SECONDS);
        }
    }
}
