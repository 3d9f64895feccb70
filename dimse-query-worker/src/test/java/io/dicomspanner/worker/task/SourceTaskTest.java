package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dicomspanner.common.messaging.CancelQuery;
import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceHealth;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.seal.DataKey;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.seal.Sealer;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.find.CFindFailedException;
import io.dicomspanner.worker.find.FleetAssociationLimit;
import io.dicomspanner.worker.find.SourceFinder;
import io.dicomspanner.worker.health.HealthChecker;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.beans.factory.annotation.Autowired;

/** A task in, result batches out: what the worker relays, how it ends, and when it does not ask the PACS at all. */
class SourceTaskTest extends WorkerTestSupport {

    @Autowired
    MeterRegistry meters;

    @Autowired
    FleetAssociationLimit associationLimit;

    @Autowired
    SourceFinder finder;

    @Autowired
    HealthChecker health;

    TestPacs pacs;

    @BeforeEach
    void startPacs() throws IOException {
        pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true);
        for (int i = 1; i <= 5; i++) {
            pacs.add(QueryLevel.STUDY, study("P1", "DOE^JANE", "1.2.3." + i));
        }
        pacs.add(QueryLevel.STUDY, study("P2", "ROE^RICHARD", "1.2.4.1"));
    }

    @AfterEach
    void stopPacs() {
        pacs.close();
    }

    /** The same source, allowing one association at a time. */
    static SourceEndpoint oneAssociation(SourceEndpoint open) {
        return withAssociations(open, 1);
    }

    /** The same source, allowing {@code max} associations at a time. */
    static SourceEndpoint withAssociations(SourceEndpoint open, int max) {
        return new SourceEndpoint(
                open.sourceId(),
                open.name(),
                open.aeTitle(),
                open.host(),
                open.port(),
                open.callingAeTitle(),
                false,
                max,
                open.queryTimeoutSeconds(),
                open.informationModels(),
                open.relationalQueries());
    }

    static Attributes study(String patientId, String patientName, String studyUid) {
        return new Attributes()
                .setString(Tag.PATIENT_ID, VR.LO, patientId)
                .setString(Tag.PATIENT_NAME, VR.PN, patientName)
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, studyUid);
    }

    static Attributes studyQuery(String patientId) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, patientId)
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    /** What the PACS answers to {@code studyQuery("P1")}: its five studies, in the order it holds them. */
    static List<Attributes> everyStudyOfP1() {
        return List.of(
                studyMatch("P1", "DOE^JANE", "1.2.3.1"),
                studyMatch("P1", "DOE^JANE", "1.2.3.2"),
                studyMatch("P1", "DOE^JANE", "1.2.3.3"),
                studyMatch("P1", "DOE^JANE", "1.2.3.4"),
                studyMatch("P1", "DOE^JANE", "1.2.3.5"));
    }

    /** What the PACS answers to {@link #studyQuery}: the requested keys. */
    static Attributes studyMatch(String patientId, String patientName, String studyUid) {
        return study(patientId, patientName, studyUid).setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY");
    }

    @Test
    void relaysTheExactMatchesInBatchesOfTheConfiguredSizeThenSuccess() {
        long source = newSourceId();
        SourceTask task = task(studyRoot(source, pacs.port()), QueryLevel.STUDY, studyQuery("P1"), inSeconds(30), 2);
        publish(task);

        List<SourceResult> results = resultsUntilFinal();

        assertThat(results).extracting(SourceResult::sequence).containsExactly(0, 1, 2);
        assertThat(results).extracting(r -> r.matches().size()).containsExactly(2, 2, 1);
        assertThat(results)
                .extracting(SourceResult::outcome)
                .containsExactly(SourceOutcome.RUNNING, SourceOutcome.RUNNING, SourceOutcome.SUCCESS);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.taskId()).isEqualTo(task.taskId());
            assertThat(r.queryId()).isEqualTo(task.queryId());
            assertThat(r.sourceId()).isEqualTo(source);
        });
        SourceResult last = results.get(2);
        assertThat(last.dimseStatus()).isEqualTo(Status.SUCCESS);
        assertThat(last.error()).isNull();
        assertThat(matches(results)).containsExactlyElementsOf(everyStudyOfP1());
        assertThat(pacs.requests()).hasSize(1);
        assertThat(pacs.requestSopClasses()).containsExactly(SopClasses.STUDY_ROOT_QUERY_FIND);
    }

    @Test
    void aFailureStatusEndsTheTaskAsFailedStatusWithoutRetry() {
        pacs.mode(TestPacs.Mode.FAIL_A700);
        SourceTask task =
                task(studyRoot(newSourceId(), pacs.port()), QueryLevel.STUDY, studyQuery("P1"), inSeconds(30), 3);
        publish(task);

        List<SourceResult> results = resultsUntilFinal();

        assertThat(results).hasSize(1);
        SourceResult r = results.get(0);
        assertThat(r.outcome()).isEqualTo(SourceOutcome.FAILED_STATUS);
        assertThat(r.dimseStatus()).isEqualTo(Status.OUT_OF_RESOURCES);
        assertThat(r.error()).isEqualTo("the source answered " + Status.toString(Status.OUT_OF_RESOURCES));
        assertThat(r.matches()).isEmpty();
        assertThat(pacs.requests()).hasSize(1);
    }

    @Test
    void aConnectionThatFailsIsRetriedThenReportedAsConnectionFailed() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket closesAtOnce = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                while (!closesAtOnce.isClosed()) {
                    try {
                        Socket s = closesAtOnce.accept();
                        connections.incrementAndGet();
                        s.close();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SourceTask task = task(
                    studyRoot(newSourceId(), closesAtOnce.getLocalPort()),
                    QueryLevel.STUDY,
                    studyQuery("P1"),
                    inSeconds(30),
                    2);
            publish(task);

            List<SourceResult> results = resultsUntilFinal();

            assertThat(results).hasSize(1);
            assertThat(results.get(0).outcome()).isEqualTo(SourceOutcome.CONNECTION_FAILED);
            assertThat(results.get(0).dimseStatus()).isEqualTo(-1);
            assertThat(results.get(0).error()).startsWith("no association: ");
            assertThat(connections.get()).as("first attempt and two retries").isEqualTo(3);
        }
    }

    /**
     * A PACS at its association limit rejects transiently (PS3.8: try again later) before it sees any query, and may
     * count an association a moment after the fleet's lease on it was given back: the task asks again after the
     * back-off and answers in full.
     */
    @Test
    void aTransientlyRejectedAssociationIsRetriedAndTheTaskAnswersInFull() {
        pacs.rejectNext(1, AAssociateRj.localLimitExceeded());
        publishP1WithTwoRetries();
        List<SourceResult> results = resultsUntilFinal();

        SourceResult last = results.get(results.size() - 1);
        assertThat(last.outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(last.dimseStatus()).isEqualTo(Status.SUCCESS);
        assertThat(matches(results)).containsExactlyElementsOf(everyStudyOfP1());
        assertThat(pacs.rejected()).isEqualTo(1);
        assertThat(pacs.associations()).as("the one after the rejection").isEqualTo(1);
        assertThat(pacs.requests()).hasSize(1);
    }

    /** A permanent rejection (the PACS does not know the called AE title) says the same on a retry: asked once. */
    @Test
    void aPermanentlyRejectedAssociationIsReportedRefusedWithoutRetry() {
        pacs.rejectNext(3, AAssociateRj.calledAeTitleNotRecognized());
        SourceTask task = publishP1WithTwoRetries();
        List<SourceResult> results = resultsUntilFinal();

        assertThat(results).hasSize(1);
        assertThat(results.get(0).outcome()).isEqualTo(SourceOutcome.REFUSED);
        assertThat(results.get(0).dimseStatus()).isEqualTo(-1);
        assertThat(results.get(0).error())
                .isEqualTo("association rejected: association rejected by "
                        + task.source().aeTitle()
                        + ": rejected-permanent, service-user: called-AE-title-not-recognized (1/1/7)");
        assertThat(results.get(0).matches()).isEmpty();
        assertThat(pacs.rejected()).isEqualTo(1);
        assertThat(pacs.requests()).isEmpty();
    }

    /** Publishes a study query for patient P1 to the test PACS, with two retries. */
    private SourceTask publishP1WithTwoRetries() {
        SourceTask task =
                task(studyRoot(newSourceId(), pacs.port()), QueryLevel.STUDY, studyQuery("P1"), inSeconds(30), 2);
        publish(task);
        return task;
    }

    @Test
    void aTaskPastItsDeadlineIsAnsweredTimeoutWithoutAnAssociation() {
        SourceTask task = task(
                studyRoot(newSourceId(), pacs.port()),
                QueryLevel.STUDY,
                studyQuery("P1"),
                System.currentTimeMillis() - 1,
                2);
        publish(task);

        List<SourceResult> results = resultsUntilFinal();

        assertThat(results).hasSize(1);
        assertThat(results.get(0).outcome()).isEqualTo(SourceOutcome.TIMEOUT);
        assertThat(results.get(0).matches()).isEmpty();
        assertThat(pacs.associations()).isZero();
        assertThat(pacs.requests()).isEmpty();
    }

    @Test
    void aCancelQuerySendsCCancelAndEndsTheTaskCancelledWithWhatCameBefore() throws Exception {
        pacs.mode(TestPacs.Mode.HANG_AFTER_FIRST);
        SourceTask task =
                task(studyRoot(newSourceId(), pacs.port()), QueryLevel.STUDY, studyQuery("P1"), inSeconds(30), 0);
        publish(task);
        assertThat(pacs.awaitFirstRequest(30)).isTrue();

        rabbit.convertAndSend(Topology.CANCEL_EXCHANGE, "", new CancelQuery(task.queryId()));
        List<SourceResult> results = resultsUntilFinal();

        SourceResult last = results.get(results.size() - 1);
        assertThat(last.outcome()).isEqualTo(SourceOutcome.CANCELLED);
        assertThat(last.dimseStatus()).isEqualTo(Status.CANCEL);
        assertThat(matches(results)).containsExactly(studyMatch("P1", "DOE^JANE", "1.2.3.1"));
    }

    @Test
    void theCircuitOpensAfterConsecutiveConnectionFailuresAndThenAnswersCircuitOpen() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SourceEndpoint dead = studyRoot(newSourceId(), closedPort);
        try {
            for (int i = 0; i < 2; i++) {
                publish(task(dead, QueryLevel.STUDY, studyQuery("P1"), inSeconds(30), 0));
                assertThat(resultsUntilFinal())
                        .extracting(SourceResult::outcome)
                        .containsExactly(SourceOutcome.CONNECTION_FAILED);
            }
            assertThat(redis.opsForHash().get(RedisKeys.sourceCircuit(dead.sourceId()), "openUntil"))
                    .isNotNull();

            publish(task(dead, QueryLevel.STUDY, studyQuery("P1"), inSeconds(30), 0));
            List<SourceResult> results = resultsUntilFinal();

            assertThat(results).hasSize(1);
            assertThat(results.get(0).outcome()).isEqualTo(SourceOutcome.CIRCUIT_OPEN);
            assertThat(results.get(0).error()).isEqualTo("the source's circuit is open after repeated failures");
        } finally {
            redis.delete(
                    List.of(RedisKeys.sourceCircuit(dead.sourceId()), RedisKeys.sourceCircuitTrial(dead.sourceId())));
        }
    }

    /**
     * Under load, C-FINDs wait for one of a source's associations; one whose deadline passes while it waits ends as a
     * timeout, but its PACS was never asked, so the source's circuit must not count it (else an overloaded spanner
     * would cut off healthy PACS).
     */
    @Test
    void aTaskThatTimesOutWaitingForAnAssociationLeavesTheSourcesCircuitAlone() throws Exception {
        TestPacs slow = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true);
        slow.add(QueryLevel.STUDY, study("P1", "DOE^JANE", "1.2.7.1"));
        slow.pauseAfter(0);
        SourceEndpoint open = studyRoot(newSourceId(), slow.port());
        SourceEndpoint oneAssociation = oneAssociation(open);
        try {
            SourceTask holder = task(oneAssociation, QueryLevel.STUDY, studyQuery("P1"), inSeconds(60), 0);
            publish(holder);
            assertThat(slow.awaitFirstRequest(30)).isTrue();
            // threshold 2: two such timeouts would open a circuit that counted them
            for (int i = 0; i < 2; i++) {
                SourceTask waiting =
                        task(oneAssociation, QueryLevel.STUDY, studyQuery("P1"), System.currentTimeMillis() + 1500, 0);
                publish(waiting);
                SourceResult end = resultsUntilFinal().get(0);
                assertThat(end.taskId()).isEqualTo(waiting.taskId());
                assertThat(end.outcome()).isEqualTo(SourceOutcome.TIMEOUT);
                assertThat(end.error())
                        .startsWith("the deadline passed while waiting ")
                        .endsWith(" ms for a free association: all 1 of the source's associations were in use"
                                + " across the worker fleet");
            }
            assertThat(redis.hasKey(RedisKeys.sourceCircuit(oneAssociation.sourceId())))
                    .as("no circuit state for a source that was never asked")
                    .isFalse();

            slow.release();
            List<SourceResult> held = resultsUntilFinal();
            assertThat(last(held).taskId()).isEqualTo(holder.taskId());
            assertThat(last(held).outcome()).isEqualTo(SourceOutcome.SUCCESS);
            assertThat(matches(held)).containsExactly(studyMatch("P1", "DOE^JANE", "1.2.7.1"));
        } finally {
            slow.close();
        }
    }

    /**
     * An association stays open with its lease for the idle timeout (2 s) after a C-FIND: the source's next C-FIND on
     * this worker runs on it, with no connect and no A-ASSOCIATE; after the timeout it is released.
     */
    @Test
    void theNextTaskOfASourceRunsOnTheAssociationTheLastOneLeftOpenUntilTheIdleTimeout() throws Exception {
        try (TestPacs own = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            own.add(QueryLevel.STUDY, study("P1", "DOE^JANE", "1.2.8.1"));
            SourceEndpoint source = studyRoot(newSourceId(), own.port());

            for (int i = 0; i < 3; i++) {
                publish(task(source, QueryLevel.STUDY, studyQuery("P1"), inSeconds(30), 0));
                List<SourceResult> results = resultsUntilFinal();
                assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
                assertThat(matches(results)).containsExactly(studyMatch("P1", "DOE^JANE", "1.2.8.1"));
            }
            assertThat(own.associations())
                    .as("three C-FINDs on one association")
                    .isEqualTo(1);
            assertThat(own.requests()).hasSize(3);

            Thread.sleep(3_000); // past the idle timeout: the association is released
            publish(task(source, QueryLevel.STUDY, studyQuery("P1"), inSeconds(30), 0));
            assertThat(last(resultsUntilFinal()).outcome()).isEqualTo(SourceOutcome.SUCCESS);
            assertThat(own.associations())
                    .as("a new one after the idle timeout")
                    .isEqualTo(2);
        }
    }

    /**
     * Under load a source's C-FINDs wait in line for its associations; each C-FIND that ends hands its association,
     * still open under its lease, to the next in line. With one association allowed, three C-FINDs at once run one
     * after the other on a single association: one connect and A-ASSOCIATE for all three, the limit never exceeded.
     */
    @Test
    void cFindsWaitingForTheSourcesOnlyAssociationEachRunOnItInTurn() throws Exception {
        try (TestPacs slow = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            slow.add(QueryLevel.STUDY, study("P1", "DOE^JANE", "1.2.9.1"));
            slow.pauseAfter(0);
            SourceEndpoint open = studyRoot(newSourceId(), slow.port());
            SourceEndpoint oneAssociation = oneAssociation(open);
            publish(task(oneAssociation, QueryLevel.STUDY, studyQuery("P1"), inSeconds(60), 0));
            assertThat(slow.awaitFirstRequest(30)).isTrue();
            publish(task(oneAssociation, QueryLevel.STUDY, studyQuery("P1"), inSeconds(60), 0));
            publish(task(oneAssociation, QueryLevel.STUDY, studyQuery("P1"), inSeconds(60), 0));
            long until = System.currentTimeMillis() + 30_000;
            while (associationLimit.waiting(oneAssociation.sourceId()) < 2) {
                assertThat(System.currentTimeMillis()).as("two C-FINDs waiting").isLessThan(until);
                Thread.sleep(20);
            }

            slow.release();
            for (int i = 0; i < 3; i++) {
                List<SourceResult> results = resultsUntilFinal();
                assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
                assertThat(matches(results)).containsExactly(studyMatch("P1", "DOE^JANE", "1.2.9.1"));
            }
            assertThat(slow.requests()).hasSize(3);
            assertThat(slow.associations())
                    .as("the three C-FINDs on one association")
                    .isEqualTo(1);
            assertThat(associationLimit.waiting(oneAssociation.sourceId())).isZero();
        }
    }

    /** A health check of {@code source}, once it waits in the source's line for a lease (every association busy). */
    private CompletableFuture<SourceHealth> healthCheckWaitingForALease(SourceEndpoint source) throws Exception {
        CompletableFuture<SourceHealth> echo = health.check(source);
        long until = System.currentTimeMillis() + 30_000;
        while (associationLimit.waiting(source.sourceId()) < 1) {
            assertThat(System.currentTimeMillis())
                    .as("the health check waiting")
                    .isLessThan(until);
            Thread.sleep(20);
        }
        return echo;
    }

    /**
     * A health check that waits behind the C-FIND holding the source's only association gets a lease of its own once
     * the C-FIND ends: the C-FIND's association is closed for it, not handed over to a C-ECHO that would open another
     * and leave it open without a lease. The PACS never sees more than its one association, and none stays open.
     */
    @Test
    void aHealthCheckWaitingForTheSourcesOnlyAssociationTakesItsTurnAndLeavesNoAssociationOpen() throws Exception {
        try (TestPacs slow = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            slow.add(QueryLevel.STUDY, study("P1", "DOE^JANE", "1.2.10.1"));
            slow.pauseAfter(0);
            SourceEndpoint oneAssociation = oneAssociation(studyRoot(newSourceId(), slow.port()));
            publish(task(oneAssociation, QueryLevel.STUDY, studyQuery("P1"), inSeconds(60), 0));
            assertThat(slow.awaitFirstRequest(30)).isTrue();
            CompletableFuture<SourceHealth> echo = healthCheckWaitingForALease(oneAssociation);

            slow.release();
            List<SourceResult> results = resultsUntilFinal();
            assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
            assertThat(matches(results)).containsExactly(studyMatch("P1", "DOE^JANE", "1.2.10.1"));
            SourceHealth checked = echo.get(30, TimeUnit.SECONDS);
            assertThat(checked.state()).isEqualTo(SourceHealth.State.UP);
            assertThat(checked.dimseStatus()).isEqualTo(Status.SUCCESS);
            assertThat(checked.error()).isNull();

            long until = System.currentTimeMillis() + 10_000;
            // the lease goes back on the lease thread once the connection is closed
            while ((slow.openAssociations() > 0 || associationLimit.associationsInUse(oneAssociation.sourceId()) > 0)
                    && System.currentTimeMillis() < until) {
                Thread.sleep(20);
            }
            assertThat(slow.openAssociations()).as("associations left open").isZero();
            assertThat(slow.mostOpenAtOnce()).as("associations at once").isEqualTo(1);
            assertThat(slow.associations())
                    .as("the C-FIND's, then the C-ECHO's")
                    .isEqualTo(2);
            assertThat(associationLimit.associationsInUse(oneAssociation.sourceId()))
                    .isZero();
        }
    }

    /**
     * With C-FINDs on both of a source's associations and a health check waiting for a lease of its own, the first
     * C-FIND to end closes its association and passes its lease to the check; the other, ending while the check has
     * not opened its association yet, keeps its own for the next C-FIND. One association closed for one check, not
     * every one that ends while the check waits.
     */
    @Test
    void aHealthCheckWaitingForALeaseCostsOneAssociationNotEveryOneThatEndsMeanwhile() throws Exception {
        try (TestPacs slow = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            slow.add(QueryLevel.STUDY, study("P1", "DOE^JANE", "1.2.11.1"));
            slow.pauseAfter(0);
            SourceEndpoint two = withAssociations(studyRoot(newSourceId(), slow.port()), 2);
            publish(task(two, QueryLevel.STUDY, studyQuery("P1"), inSeconds(60), 0));
            publish(task(two, QueryLevel.STUDY, studyQuery("P1"), inSeconds(60), 0));
            long until = System.currentTimeMillis() + 30_000;
            while (slow.requests().size() < 2) {
                assertThat(System.currentTimeMillis()).as("both C-FINDs sent").isLessThan(until);
                Thread.sleep(20);
            }
            CompletableFuture<SourceHealth> echo = healthCheckWaitingForALease(two);

            slow.release();
            for (int i = 0; i < 2; i++) {
                List<SourceResult> results = resultsUntilFinal();
                assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
                assertThat(matches(results)).containsExactly(studyMatch("P1", "DOE^JANE", "1.2.11.1"));
            }
            SourceHealth checked = echo.get(30, TimeUnit.SECONDS);
            assertThat(checked.state()).isEqualTo(SourceHealth.State.UP);
            until = System.currentTimeMillis() + 10_000;
            while (slow.openAssociations() > 1 && System.currentTimeMillis() < until) {
                Thread.sleep(20);
            }
            assertThat(slow.openAssociations())
                    .as("the C-FIND association kept")
                    .isEqualTo(1);

            publish(task(two, QueryLevel.STUDY, studyQuery("P1"), inSeconds(60), 0));
            assertThat(matches(resultsUntilFinal())).containsExactly(studyMatch("P1", "DOE^JANE", "1.2.11.1"));
            assertThat(slow.associations())
                    .as("the two C-FINDs', the C-ECHO's; the third C-FIND on the one kept")
                    .isEqualTo(3);
            assertThat(slow.mostOpenAtOnce()).as("associations at once").isEqualTo(2);
            assertThat(slow.rejected()).isZero();
        }
    }

    /**
     * A C-FIND whose deadline passed before it could be sent (it waited for a thread or an association) never reached
     * the PACS: it ends as a timeout that says nothing about the source, so the source's circuit is left alone.
     */
    @Test
    void aCFindWhoseDeadlinePassedBeforeItStartedSaysNothingAboutTheSource() {
        SourceEndpoint source = studyRoot(newSourceId(), pacs.port());
        SourceFinder.FindContext late = new SourceFinder.FindContext(
                "query-" + UUID.randomUUID(), source, System.currentTimeMillis() - 1, 0, op -> {});

        CompletableFuture<FindOutcome> find =
                finder.find(late, SopClasses.STUDY_ROOT_QUERY_FIND, options -> studyQuery("P1"), m -> {});

        assertThatThrownBy(find::join).cause().isInstanceOfSatisfying(CFindFailedException.class, e -> {
            assertThat(e.outcome()).isEqualTo(SourceOutcome.TIMEOUT);
            assertThat(e.getMessage()).isEqualTo("the deadline passed before the C-FIND started");
            assertThat(e.saysNothingAboutSource()).isTrue();
        });
        assertThat(pacs.requests()).isEmpty();
        assertThat(pacs.associations()).isZero();
    }

    @Test
    void aTaskTravelsWithItsLevelAsTheQueryRetrieveLevelCode() {
        for (QueryLevel level : QueryLevel.values()) {
            SourceTask task = task(studyRoot(FIRST_SOURCE, pacs.port()), level, studyQuery("P1"), inSeconds(30), 0);

            Message message = converter.toMessage(task, new MessageProperties());

            assertThat(message.getMessageProperties().getContentType()).isEqualTo(SealedCodec.CONTENT_TYPE);
            assertThat(new String(sealed.openMessage(message.getBody()), StandardCharsets.UTF_8))
                    .contains("\"level\":\"" + level.code() + "\"");
            message.getMessageProperties().setInferredArgumentType(SourceTask.class);
            assertThat(converter.fromMessage(message)).isEqualTo(task);
        }
    }

    @Test
    void aTaskWhoseLevelIsNoQueryRetrieveLevelIsDeadLetteredUnansweredAndTheWorkerGoesOn() throws Exception {
        long source = newSourceId();
        String deadLetters =
                admin.declareQueue(new Queue("worker-test.dead-letters." + UUID.randomUUID(), false, true, true));
        admin.declareBinding(
                new Binding(deadLetters, Binding.DestinationType.QUEUE, Topology.DEAD_LETTER_EXCHANGE, "", null));
        Logger listenerLog = (Logger) LoggerFactory.getLogger(TaskListener.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        listenerLog.addAppender(logged);
        try {
            Attributes withPhi = studyQuery("P1").setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE");
            SourceTask task = task(studyRoot(source, pacs.port()), QueryLevel.STUDY, withPhi, inSeconds(30), 0);
            MessageProperties properties = new MessageProperties();
            properties.setHeader(Topology.HEADER_QUERY_ID, task.queryId());
            Message valid = converter.toMessage(task, properties);
            assertThat(new String(valid.getBody(), StandardCharsets.ISO_8859_1)).doesNotContain("DOE^JANE");
            String json = new String(sealed.openMessage(valid.getBody()), StandardCharsets.UTF_8);
            assertThat(json).contains("\"level\":\"STUDY\"").contains("DOE^JANE");
            byte[] badBody = sealed.sealer()
                    .seal(json.replace("\"level\":\"STUDY\"", "\"level\":\"STUDIES\"")
                            .getBytes(StandardCharsets.UTF_8));
            rabbit.send(
                    Topology.TASKS_EXCHANGE,
                    Topology.taskRoutingKey(source),
                    new Message(badBody, valid.getMessageProperties()));

            Message dead = deadLetterOf(deadLetters, task.queryId());

            assertThat(dead.getBody()).isEqualTo(badBody);
            assertThat(dead.getMessageProperties().getXDeathHeader()).first().satisfies(death -> {
                assertThat(death.get("reason")).isEqualTo("rejected");
                assertThat(death.get("queue")).isEqualTo(Topology.taskQueue(source));
            });
            synchronized (logged) {
                assertThat(logged.list)
                        .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
                        .containsExactly(tuple(
                                Level.ERROR,
                                "unreadable task message of query " + task.queryId() + " on "
                                        + Topology.taskQueue(source)
                                        + " dead-lettered: 'level' is none of [PATIENT, STUDY, SERIES, IMAGE]"));
            }
            assertThat(rabbit.receive(replyQueue, 1_000))
                    .as("no result for the unread task")
                    .isNull();
            assertThat(pacs.associations()).isZero();

            publish(task(studyRoot(source, pacs.port()), QueryLevel.STUDY, studyQuery("P2"), inSeconds(30), 0));
            List<SourceResult> results = resultsUntilFinal();

            assertThat(results).extracting(SourceResult::outcome).containsExactly(SourceOutcome.SUCCESS);
            assertThat(matches(results)).containsExactly(studyMatch("P2", "ROE^RICHARD", "1.2.4.1"));
        } finally {
            listenerLog.detachAppender(logged);
            admin.deleteQueue(deadLetters);
        }
    }

    @Test
    void aTaskSealedUnderAnotherKeyIsDeadLetteredUnreadCountedAndTheWorkerGoesOn() throws Exception {
        long source = newSourceId();
        String deadLetters =
                admin.declareQueue(new Queue("worker-test.dead-letters." + UUID.randomUUID(), false, true, true));
        admin.declareBinding(
                new Binding(deadLetters, Binding.DestinationType.QUEUE, Topology.DEAD_LETTER_EXCHANGE, "", null));
        Logger listenerLog = (Logger) LoggerFactory.getLogger(TaskListener.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        listenerLog.addAppender(logged);
        try {
            SourceTask task =
                    task(studyRoot(source, pacs.port()), QueryLevel.STUDY, studyQuery("P1"), inSeconds(30), 0);
            Sealer foreign = Sealer.withKey(DataKey.of(new byte[32]));
            byte[] body = foreign.seal(MessageCodec.instance().write(task));
            MessageProperties properties = new MessageProperties();
            properties.setHeader(Topology.HEADER_QUERY_ID, task.queryId());
            properties.setContentType(SealedCodec.CONTENT_TYPE);
            double before = meters.get("spanner.sealed.value.rejected")
                    .tag("store", "amqp")
                    .tag("reason", "unknown_key")
                    .counter()
                    .count();

            rabbit.send(Topology.TASKS_EXCHANGE, Topology.taskRoutingKey(source), new Message(body, properties));
            Message dead = deadLetterOf(deadLetters, task.queryId());

            assertThat(dead.getBody()).isEqualTo(body);
            assertThat(dead.getMessageProperties().getXDeathHeader())
                    .first()
                    .satisfies(death -> assertThat(death.get("reason")).isEqualTo("rejected"));
            assertThat(meters.get("spanner.sealed.value.rejected")
                            .tag("store", "amqp")
                            .tag("reason", "unknown_key")
                            .counter()
                            .count())
                    .isEqualTo(before + 1);
            synchronized (logged) {
                assertThat(logged.list)
                        .extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
                        .containsExactly(tuple(
                                Level.ERROR,
                                "unreadable task message of query " + task.queryId() + " on "
                                        + Topology.taskQueue(source)
                                        + " dead-lettered: sealed body does not open (unknown_key)"));
            }
            assertThat(pacs.associations()).isZero();

            publish(task(studyRoot(source, pacs.port()), QueryLevel.STUDY, studyQuery("P2"), inSeconds(30), 0));
            List<SourceResult> results = resultsUntilFinal();
            assertThat(results).extracting(SourceResult::outcome).containsExactly(SourceOutcome.SUCCESS);
        } finally {
            listenerLog.detachAppender(logged);
            admin.deleteQueue(deadLetters);
        }
    }

    /** The dead letter of a task of the query; others' dead letters, which the exchange fans out too, are skipped. */
    private Message deadLetterOf(String queue, String queryId) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Message m = rabbit.receive(queue, 1_000);
            if (m != null && queryId.equals(m.getMessageProperties().getHeader(Topology.HEADER_QUERY_ID))) {
                return m;
            }
        }
        throw new AssertionError("no dead letter of a task of query " + queryId + " within 30 s");
    }
}
