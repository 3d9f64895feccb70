package io.dicomspanner.coordinator.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.CancelQuery;
import io.dicomspanner.common.messaging.ConflictingCopies;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.seal.DataKey;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.coordinator.testing.FakeWorker;
import io.dicomspanner.coordinator.testing.FakeWorker.Behaviour;
import io.dicomspanner.coordinator.testing.SpanningFixture;
import io.dicomspanner.coordinator.testing.SpanningFixture.Mapping;
import io.dicomspanner.coordinator.testing.TestDatabase;
import io.dicomspanner.coordinator.testing.TestSealing;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.json.DicomJsonReader;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spanning queries end to end through real RabbitMQ, Redis and PostgreSQL, with a fake worker answering for the
 * PACS from canned data sets.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class SpanningQueryTest {

    static final String RUN = UUID.randomUUID().toString();
    static final String REQUESTS_QUEUE = "spanner.requests.test-" + RUN;
    static final String SECRET = "coordinator-test-secret-of-at-least-32-bytes";
    static final long DEADLINE_MILLIS = 15_000;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spanner.coordinator.requests-queue", () -> REQUESTS_QUEUE);
        registry.add("spanner.coordinator.instance-id", () -> "test-" + RUN);
        registry.add("spanner.coordinator.answer-margin", () -> "0ms");
        registry.add("spanner.phi.token-secret", () -> SECRET);
        // In the middle of a rotation: what this coordinator writes is sealed with the next key, what was written
        // before it with the tests' usual key still opens.
        registry.add("spanner.data-key.current", () -> TestSealing.NEXT_KEY);
        registry.add("spanner.data-key.previous", () -> TestSealing.KEY);
    }

    @Autowired
    RabbitListenerEndpointRegistry listeners;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    AmqpAdmin admin;

    @Autowired
    ConnectionFactory connections;

    @Autowired
    MessageConverter converter;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    SealedCodec sealed;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JsonMapper json;

    @LocalServerPort
    int port;

    final SpanningFixture fixture = new SpanningFixture();
    long pacsA;
    long pacsB;
    long pacsC;
    long hanging;
    long failing;
    long circuitOpen;
    long neverConsumed;
    FakeWorker worker;
    Queue answers;

    @Autowired
    RedisMessageListenerContainer redisListeners;

    @BeforeAll
    void startWorker() throws InterruptedException {
        // Coalescing needs the pub/sub subscription, which starts in the background.
        for (int i = 0; i < 300 && !redisListeners.isListening(); i++) {
            Thread.sleep(100);
        }
        assertThat(redisListeners.isListening())
                .as("subscribed to Redis pub/sub")
                .isTrue();
        pacsA = fixture.source("PACS A", "PACS_A");
        pacsB = fixture.source("PACS B", "PACS_B");
        pacsC = fixture.source("PACS C", "PACS_C");
        hanging = fixture.source("Hanging", "HANGING");
        failing = fixture.source("Failing", "FAILING");
        circuitOpen = fixture.source("Circuit open", "BROKEN");
        neverConsumed = fixture.source("Unconsumed", "UNCONSUMED");
        worker = new FakeWorker(
                connections, admin, rabbit, converter, pacsA, pacsB, pacsC, hanging, failing, circuitOpen);
        // Not the entry's auto-delete answers queue: receive(timeout) consumes briefly, which would delete it.
        answers = new Queue(Topology.ANSWERS_QUEUE_PREFIX + "test-" + RUN, false, true, false);
        admin.declareQueue(answers);
        worker.behave(pacsA, Behaviour.answering(List.of(STUDY_1_ON_A)));
        worker.behave(pacsB, Behaviour.answering(List.of(STUDY_1_ON_B, STUDY_2)));
        worker.behave(pacsC, Behaviour.answering(List.of(STUDY_2, STUDY_3, STUDY_OF_ANOTHER_PATIENT)));
        worker.behave(hanging, Behaviour.hanging());
        worker.behave(failing, Behaviour.failing(SourceOutcome.FAILED_STATUS));
        worker.behave(circuitOpen, Behaviour.failing(SourceOutcome.CIRCUIT_OPEN));
    }

    @AfterAll
    void stopWorker() {
        worker.close();
        // Stopped first: a running listener would declare its deleted queue again.
        listeners.stop();
        List<String> queues = new ArrayList<>(List.of(answers.getName(), REQUESTS_QUEUE));
        for (long id : new long[] {pacsA, pacsB, pacsC, hanging, failing, circuitOpen, neverConsumed}) {
            queues.add(Topology.taskQueue(id));
        }
        queues.forEach(admin::deleteQueue);
    }

    // The canned PACS: study 1 on A and B (B knows more of it), study 2 on B and C, study 3 on C only, and on C a
    // study of another patient that C returns although it does not match (a PACS ignoring the PatientID key).
    static final Attributes STUDY_1_ON_A = study("1.2.840.99.1", "P1", "DOE^JANE", "20240105", "1", "CT");
    static final Attributes STUDY_1_ON_B = study("1.2.840.99.1", "P1", "DOE^JANE", "20240105", "3", "CT", "MR");
    static final Attributes STUDY_2 = study("1.2.840.99.2", "P1", "DOE^JANE", "20230301", "1", "MR");
    static final Attributes STUDY_3 = study("1.2.840.99.3", "P1", "DOE^JANE", "20220712", "2", "US");
    static final Attributes STUDY_OF_ANOTHER_PATIENT =
            study("1.2.840.99.9", "P9", "ROE^RICHARD", "20250101", "1", "CR");

    static Attributes study(String uid, String patientId, String name, String date, String series, String... mods) {
        Attributes a = new Attributes();
        a.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100");
        a.setString(Tag.STUDY_DATE, VR.DA, date);
        a.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY");
        a.setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "WHATEVER_PACS_SAYS");
        a.setString(Tag.MODALITIES_IN_STUDY, VR.CS, mods);
        a.setString(Tag.PATIENT_NAME, VR.PN, name);
        a.setString(Tag.PATIENT_ID, VR.LO, patientId);
        a.setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid);
        a.setString(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS, series);
        return a;
    }

    /** The QIDO-RS result of a study as the coordinator shapes it: the study table, empty where no PACS knew. */
    static Attributes qidoStudy(Attributes source, String... retrieveAeTitles) {
        Attributes a = new Attributes();
        a.setString(Tag.STUDY_DATE, VR.DA, source.getString(Tag.STUDY_DATE));
        a.setNull(0x00080030, VR.TM); // StudyTime
        a.setNull(0x00080050, VR.SH); // AccessionNumber
        a.setString(Tag.RETRIEVE_AE_TITLE, VR.AE, retrieveAeTitles);
        a.setString(Tag.MODALITIES_IN_STUDY, VR.CS, source.getStrings(Tag.MODALITIES_IN_STUDY));
        a.setNull(0x00080090, VR.PN); // ReferringPhysicianName
        a.setString(Tag.PATIENT_NAME, VR.PN, source.getString(Tag.PATIENT_NAME));
        a.setString(Tag.PATIENT_ID, VR.LO, source.getString(Tag.PATIENT_ID));
        a.setNull(Tag.PATIENT_BIRTH_DATE, VR.DA);
        a.setNull(0x00100040, VR.CS); // PatientSex
        a.setString(Tag.STUDY_INSTANCE_UID, VR.UI, source.getString(Tag.STUDY_INSTANCE_UID));
        a.setNull(0x00200010, VR.SH); // StudyID
        a.setString(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS, source.getString(Tag.NUMBER_OF_STUDY_RELATED_SERIES));
        a.setNull(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS);
        return a;
    }

    static SpanQuery studiesOfP1(long configId, Integer limit, int offset) {
        return new SpanQuery(
                configId,
                QueryLevel.STUDY,
                QidoResource.ALL_STUDIES,
                List.of(new QueryKey("00100020", "P1")),
                List.of(),
                false,
                false,
                limit,
                offset);
    }

    String submit(SpanQuery query, boolean stream) {
        return submit(query, stream, answers.getName(), EntryPoint.QIDO);
    }

    String submit(SpanQuery query, boolean stream, String replyTo, EntryPoint entryPoint) {
        return submit(query, stream, replyTo, entryPoint, null);
    }

    String submit(SpanQuery query, boolean stream, String replyTo, EntryPoint entryPoint, String retrieveBaseUrl) {
        String queryId = UUID.randomUUID().toString();
        rabbit.convertAndSend(
                "",
                REQUESTS_QUEUE,
                new SpanRequest(
                        queryId,
                        query,
                        entryPoint,
                        "api-key:7",
                        replyTo,
                        stream,
                        System.currentTimeMillis() + DEADLINE_MILLIS,
                        retrieveBaseUrl));
        return queryId;
    }

    SpanAnswer nextAnswer() {
        Message message = rabbit.receive(answers.getName(), DEADLINE_MILLIS + 5_000);
        assertThat(message).as("an answer within the deadline").isNotNull();
        message.getMessageProperties().setInferredArgumentType(SpanAnswer.class);
        return (SpanAnswer) converter.fromMessage(message);
    }

    SpanAnswer finalAnswer(String queryId) {
        SpanAnswer answer = nextAnswer();
        assertThat(answer.queryId()).isEqualTo(queryId);
        assertThat(answer.last()).isTrue();
        return answer;
    }

    /**
     * The next {@code n} answers, which end the query: the streamed ones first, then the last, as the entry hands
     * them on. The coordinator may send a query's answers on different channels, so the last one may arrive first.
     */
    List<SpanAnswer> lastAnswers(String queryId, int n) {
        List<SpanAnswer> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(nextAnswer());
        }
        got.sort(Comparator.comparing(SpanAnswer::last));
        assertThat(got).extracting(SpanAnswer::queryId).containsOnly(queryId);
        assertThat(got).extracting(SpanAnswer::last).endsWith(true).containsOnlyOnce(true);
        return got;
    }

    static List<Attributes> decode(List<byte[]> records) {
        List<Attributes> out = new ArrayList<>();
        for (byte[] r : records) {
            out.add(DicomReader.read(r, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        }
        return out;
    }

    QueryStatus status(String queryId) {
        String text = redis.opsForValue().get(RedisKeys.queryStatus(queryId));
        assertThat(text).as("status of " + queryId).isNotNull();
        return json.readValue(text, QueryStatus.class);
    }

    long threeSourceConfig(String deduplication, int cacheTtl) {
        return fixture.config(
                "partial_results",
                null,
                deduplication,
                10,
                cacheTtl,
                List.of(new Mapping(pacsA, 1), new Mapping(pacsB, 2), new Mapping(pacsC, 3)));
    }

    @Test
    void threeSourcesWithOverlappingStudiesGiveTheirDeduplicatedUnionWithProvenance() {
        String queryId = submit(studiesOfP1(threeSourceConfig("first_wins", 0), null, 0), false);

        SpanAnswer answer = finalAnswer(queryId);

        assertThat(answer.state()).isEqualTo(QueryState.COMPLETE);
        assertThat(answer.failures()).isEmpty();
        assertThat(answer.totalMatches()).isEqualTo(3);
        assertThat(answer.remaining()).isZero();
        assertThat(answer.fromCache()).isFalse();
        // Newest first; study 1 is A's copy (priority 1), study 2 B's; every AE holding a study is named.
        assertThat(decode(answer.matches()))
                .containsExactly(
                        qidoStudy(STUDY_1_ON_A, "PACS_A", "PACS_B"),
                        qidoStudy(STUDY_2, "PACS_B", "PACS_C"),
                        qidoStudy(STUDY_3, "PACS_C"));
        QueryStatus status = status(queryId);
        assertThat(status.state()).isEqualTo(QueryState.COMPLETE);
        assertThat(status.matchesBeforeDeduplication()).isEqualTo(5);
        assertThat(status.matchesAfterDeduplication()).isEqualTo(3);
        assertThat(status.sources())
                .extracting(
                        QueryStatus.SourceStatus::aeTitle,
                        QueryStatus.SourceStatus::state,
                        QueryStatus.SourceStatus::matches,
                        QueryStatus.SourceStatus::droppedByRecheck)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("PACS_A", SourceOutcome.SUCCESS, 1, 0),
                        org.assertj.core.groups.Tuple.tuple("PACS_B", SourceOutcome.SUCCESS, 2, 0),
                        // C's study of patient P9 does not match PatientID=P1 and is dropped by the re-check.
                        org.assertj.core.groups.Tuple.tuple("PACS_C", SourceOutcome.SUCCESS, 2, 1));
    }

    @Test
    void aNewConfigVersionIsUsedByTheNextQuery() {
        long config = fixture.config("partial_results", null, "first_wins", 10, 0, List.of(new Mapping(pacsA, 1)));
        String before = submit(studiesOfP1(config, null, 0), false);
        assertThat(decode(finalAnswer(before).matches())).containsExactly(qidoStudy(STUDY_1_ON_A, "PACS_A"));

        fixture.addMapping(config, new Mapping(pacsB, 2));
        String after = submit(studiesOfP1(config, null, 0), false);

        assertThat(decode(finalAnswer(after).matches()))
                .containsExactly(qidoStudy(STUDY_1_ON_A, "PACS_A", "PACS_B"), qidoStudy(STUDY_2, "PACS_B"));
        assertThat(status(after).configVersion()).isEqualTo(2);
        assertThat(worker.tasksOf(after)).hasSize(2);
    }

    @Test
    void mergeAllTakesTheUnionOfModalitiesAndTheLargestSeriesCount() {
        String queryId = submit(studiesOfP1(threeSourceConfig("merge_all", 0), null, 0), false);

        List<Attributes> results = decode(finalAnswer(queryId).matches());

        assertThat(results.get(0)).isEqualTo(qidoStudy(STUDY_1_ON_B, "PACS_A", "PACS_B"));
        assertThat(results.get(0).getStrings(Tag.MODALITIES_IN_STUDY)).containsExactly("CT", "MR");
        assertThat(results.get(0).getString(Tag.NUMBER_OF_STUDY_RELATED_SERIES)).isEqualTo("3");
    }

    @Test
    void aPageIsCutFromTheMergedAnswerAcrossSources() {
        String queryId = submit(studiesOfP1(threeSourceConfig("first_wins", 0), 1, 1), false);

        SpanAnswer answer = finalAnswer(queryId);

        assertThat(decode(answer.matches())).containsExactly(qidoStudy(STUDY_2, "PACS_B", "PACS_C"));
        assertThat(answer.totalMatches()).isEqualTo(3);
        assertThat(answer.remaining()).isEqualTo(1);
    }

    @Test
    void partialResultsAnswersWithWhatArrivedAndListsEverySourceThatDidNot() {
        long config = fixture.config(
                "partial_results",
                null,
                "first_wins",
                1,
                0,
                List.of(
                        new Mapping(pacsA, 1),
                        new Mapping(hanging, 2),
                        new Mapping(failing, 3),
                        new Mapping(circuitOpen, 4)));
        String queryId = submit(studiesOfP1(config, null, 0), false);

        SpanAnswer answer = finalAnswer(queryId);

        assertThat(answer.state()).isEqualTo(QueryState.PARTIAL);
        assertThat(decode(answer.matches())).containsExactly(qidoStudy(STUDY_1_ON_A, "PACS_A"));
        assertThat(answer.failures())
                .extracting(SpanAnswer.SourceFailure::aeTitle, SpanAnswer.SourceFailure::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("HANGING", SourceOutcome.TIMEOUT),
                        org.assertj.core.groups.Tuple.tuple("FAILING", SourceOutcome.FAILED_STATUS),
                        org.assertj.core.groups.Tuple.tuple("BROKEN", SourceOutcome.CIRCUIT_OPEN));
        assertThat(answer.failures().get(0).reason()).isEqualTo("no final answer before the deadline");
        assertThat(answer.failures().get(1).reason()).isEqualTo("canned FAILED_STATUS");
    }

    @Test
    void failFastFailsOnTheFirstSourceThatAnswersWithAFailureStatus() {
        Queue cancellations = new Queue("spanner.test.cancel-" + UUID.randomUUID(), false, true, false);
        admin.declareQueue(cancellations);
        admin.declareBinding(TopologyDeclarations.cancelBinding(cancellations.getName()));
        long config = fixture.config(
                "fail_fast", null, "first_wins", 10, 0, List.of(new Mapping(hanging, 1), new Mapping(failing, 2)));
        String queryId = submit(studiesOfP1(config, null, 0), false);

        SpanAnswer answer = finalAnswer(queryId);

        // The workers are told to stop the query's remaining tasks.
        Message cancel = rabbit.receive(cancellations.getName(), 5_000);
        admin.deleteQueue(cancellations.getName());
        assertThat(cancel).isNotNull();
        cancel.getMessageProperties().setInferredArgumentType(CancelQuery.class);
        assertThat(converter.fromMessage(cancel)).isEqualTo(new CancelQuery(queryId));

        // Decided by the failure while the hanging source still runs: that one is cancelled, not timed out.
        assertThat(answer.state()).isEqualTo(QueryState.FAILED);
        assertThat(answer.matches()).isEmpty();
        assertThat(answer.failures())
                .extracting(SpanAnswer.SourceFailure::aeTitle, SpanAnswer.SourceFailure::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("HANGING", SourceOutcome.CANCELLED),
                        org.assertj.core.groups.Tuple.tuple("FAILING", SourceOutcome.FAILED_STATUS));
    }

    @Test
    void failFastTimesOutWhenASourceNeverAnswers() {
        long config = fixture.config(
                "fail_fast", null, "first_wins", 1, 0, List.of(new Mapping(pacsA, 1), new Mapping(hanging, 2)));
        String queryId = submit(studiesOfP1(config, null, 0), false);

        SpanAnswer answer = finalAnswer(queryId);

        assertThat(answer.state()).isEqualTo(QueryState.TIMED_OUT);
        assertThat(answer.matches()).isEmpty();
        assertThat(answer.failures())
                .extracting(SpanAnswer.SourceFailure::aeTitle, SpanAnswer.SourceFailure::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("HANGING", SourceOutcome.TIMEOUT));
    }

    @Test
    void minimumThresholdAnswersWhenEnoughSourcesSucceeded() {
        long config = fixture.config(
                "minimum_threshold",
                1,
                "first_wins",
                1,
                0,
                List.of(new Mapping(pacsA, 1), new Mapping(hanging, 2), new Mapping(failing, 3)));
        String queryId = submit(studiesOfP1(config, null, 0), false);

        SpanAnswer answer = finalAnswer(queryId);

        assertThat(answer.state()).isEqualTo(QueryState.PARTIAL);
        assertThat(decode(answer.matches())).containsExactly(qidoStudy(STUDY_1_ON_A, "PACS_A"));
    }

    @Test
    void minimumThresholdFailsAsSoonAsTooFewSourcesCanStillSucceed() {
        long config = fixture.config(
                "minimum_threshold", 2, "first_wins", 10, 0, List.of(new Mapping(pacsA, 1), new Mapping(failing, 2)));
        String queryId = submit(studiesOfP1(config, null, 0), false);

        SpanAnswer answer = finalAnswer(queryId);

        assertThat(answer.state()).isEqualTo(QueryState.FAILED);
        assertThat(answer.matches()).isEmpty();
    }

    @Test
    void minimumThresholdTimesOutWhenTheDeadlineLeavesTooFewSources() {
        long config = fixture.config(
                "minimum_threshold", 2, "first_wins", 1, 0, List.of(new Mapping(pacsA, 1), new Mapping(hanging, 2)));
        String queryId = submit(studiesOfP1(config, null, 0), false);

        assertThat(finalAnswer(queryId).state()).isEqualTo(QueryState.TIMED_OUT);
    }

    /** partial_results, first_wins, uncached: A (priority 1), then a source held back by the test (priority 2). */
    long aThenGatedB(long gatedB) {
        return fixture.config(
                "partial_results", null, "first_wins", 10, 0, List.of(new Mapping(pacsA, 1), new Mapping(gatedB, 2)));
    }

    /** A C-FIND's query of the studies of P1, as the DIMSE listener asks it: StudyDate and StudyInstanceUID returned. */
    static SpanQuery cFindStudiesOfP1(long configId) {
        return new SpanQuery(
                configId,
                QueryLevel.STUDY,
                null,
                List.of(new QueryKey("00100020", "P1")),
                List.of("00080020", "0020000D"),
                false,
                false,
                null,
                0);
    }

    @Test
    void firstWinsStreamsEachResultAsSoonAsNoBetterSourceCanChangeIt() throws Exception {
        CountDownLatch releaseB = new CountDownLatch(1);
        long gatedB = fixture.source("PACS B gated", "PACS_B");
        try (FakeWorker gated = new FakeWorker(connections, admin, rabbit, converter, gatedB)) {
            gated.behave(
                    gatedB, Behaviour.answering(List.of(STUDY_1_ON_B, STUDY_2)).after(releaseB));
            long config = aThenGatedB(gatedB);
            String queryId = submit(cFindStudiesOfP1(config), true, answers.getName(), EntryPoint.DIMSE);

            // While B is held back, A's study 1 is final already: A has the best priority.
            SpanAnswer first = nextAnswer();
            assertThat(first.last()).isFalse();
            assertThat(first.state()).isEqualTo(QueryState.RUNNING);
            assertThat(decode(first.matches())).containsExactly(cFindStudy("1.2.840.99.1", "20240105", "PACS_A"));

            releaseB.countDown();
            List<SpanAnswer> rest = lastAnswers(queryId, 2);
            SpanAnswer second = rest.get(0);
            assertThat(second.last()).isFalse();
            assertThat(decode(second.matches())).containsExactly(cFindStudy("1.2.840.99.2", "20230301", "PACS_B"));
            SpanAnswer last = rest.get(1);
            assertThat(last.state()).isEqualTo(QueryState.COMPLETE);
            assertThat(last.matches()).isEmpty();
            assertThat(last.totalMatches()).isEqualTo(2);
            assertThat(last.streamedBefore())
                    .as("the entry holds the last answer until both arrived")
                    .isEqualTo(2);
        } finally {
            admin.deleteQueue(Topology.taskQueue(gatedB));
        }
    }

    @Test
    void theRunningStatusShowsASourceThatHasAnsweredWhileAnotherIsStillAsked() throws Exception {
        CountDownLatch releaseB = new CountDownLatch(1);
        long gatedB = fixture.source("PACS B gated for status", "PACS_B");
        try (FakeWorker gated = new FakeWorker(connections, admin, rabbit, converter, gatedB)) {
            gated.behave(gatedB, Behaviour.answering(List.of(STUDY_2)).after(releaseB));
            long config = aThenGatedB(gatedB);
            String queryId = submit(studiesOfP1(config, null, 0), false);

            // A answers at once, within the first progress interval (250 ms) after the first status: that change
            // is written at the interval's end, not left until the query ends.
            long until = System.nanoTime() + 5_000_000_000L;
            QueryStatus running = null;
            while ((running == null || running.sources().get(0).state() != SourceOutcome.SUCCESS)
                    && System.nanoTime() < until) {
                Thread.sleep(20);
                String text = redis.opsForValue().get(RedisKeys.queryStatus(queryId));
                running = text == null ? null : json.readValue(text, QueryStatus.class);
            }
            assertThat(running).as("status of " + queryId).isNotNull();
            assertThat(running.state()).isEqualTo(QueryState.RUNNING);
            assertThat(running.completedEpochMillis()).isNull();
            assertThat(running.sources())
                    .extracting(QueryStatus.SourceStatus::sourceId, QueryStatus.SourceStatus::state, s -> s.matches())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(pacsA, SourceOutcome.SUCCESS, 1),
                            org.assertj.core.groups.Tuple.tuple(gatedB, SourceOutcome.RUNNING, 0));

            releaseB.countDown();
            assertThat(finalAnswer(queryId).state()).isEqualTo(QueryState.COMPLETE);
            QueryStatus done = status(queryId);
            assertThat(done.state()).isEqualTo(QueryState.COMPLETE);
            assertThat(done.sources())
                    .extracting(QueryStatus.SourceStatus::state)
                    .containsExactly(SourceOutcome.SUCCESS, SourceOutcome.SUCCESS);
        } finally {
            admin.deleteQueue(Topology.taskQueue(gatedB));
        }
    }

    /** A C-FIND response identifier: the requested keys, Query/Retrieve Level and the provenance. */
    static Attributes cFindStudy(String uid, String date, String... retrieveAeTitles) {
        Attributes a = new Attributes();
        a.setString(Tag.STUDY_DATE, VR.DA, date);
        a.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY");
        a.setString(Tag.RETRIEVE_AE_TITLE, VR.AE, retrieveAeTitles);
        a.setString(Tag.PATIENT_ID, VR.LO, "P1");
        a.setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid);
        return a;
    }

    @Test
    void anAsyncQueryLeavesItsMergedAnswerAsDicomJsonInRedis() throws Exception {
        SpanQuery query = studiesOfP1(threeSourceConfig("first_wins", 0), 2, 0);
        String queryId = submit(query, false, null, EntryPoint.QIDO);

        String json = null;
        for (int i = 0; i < 150 && json == null; i++) {
            Thread.sleep(100);
            String entry = redis.opsForValue().get(RedisKeys.queryResult(queryId));
            json = entry == null ? null : sealed.openEntryText(entry).orElseThrow();
        }

        assertThat(json).as("the async result").isNotNull();
        assertThat(new DicomJsonReader().readList(json))
                .containsExactly(qidoStudy(STUDY_1_ON_A, "PACS_A", "PACS_B"), qidoStudy(STUDY_2, "PACS_B", "PACS_C"));
        assertThat(json).startsWith("[{\"00080020\":{\"vr\":\"DA\",\"Value\":[\"20240105\"]}");
        QueryStatus status = status(queryId);
        assertThat(status.state()).isEqualTo(QueryState.COMPLETE);
        assertThat(status.completedEpochMillis()).isNotNull();
        assertThat(redis.opsForValue().get(RedisKeys.queryConflicts(queryId)))
                .as("no copies disagree: no conflicts entry")
                .isNull();
    }

    @Test
    void anAsyncQueryLeavesTheRecordsWhoseCopiesDisagreeOnPatientIdSealedNextToItsResult() throws Exception {
        long otherPatient = fixture.source("PACS D", "PACS_D");
        try (FakeWorker worker = new FakeWorker(connections, admin, rabbit, converter, otherPatient)) {
            worker.behave(
                    otherPatient,
                    Behaviour.answering(List.of(study("1.2.840.99.1", "P2", "DOE^JANE", "20240105", "1", "CT"))));
            long config = fixture.config(
                    "partial_results",
                    null,
                    "first_wins",
                    10,
                    0,
                    List.of(new Mapping(pacsA, 1), new Mapping(otherPatient, 2)));
            SpanQuery query = new SpanQuery(
                    config,
                    QueryLevel.STUDY,
                    QidoResource.ALL_STUDIES,
                    List.of(new QueryKey("0020000D", "1.2.840.99.1")),
                    List.of(),
                    false,
                    false,
                    null,
                    0);
            String queryId = submit(query, false, null, EntryPoint.QIDO);

            String entry = null;
            for (int i = 0; i < 150 && entry == null; i++) {
                Thread.sleep(100);
                entry = redis.opsForValue().get(RedisKeys.queryConflicts(queryId));
            }

            assertThat(entry).as("the conflicts entry").isNotNull().doesNotContain("1.2.840.99.1");
            assertThat(List.of(
                            sealed.openEntry(entry, ConflictingCopies[].class).orElseThrow()))
                    .containsExactly(new ConflictingCopies(
                            "1.2.840.99.1", List.of(Long.toString(pacsA), Long.toString(otherPatient))));
            assertThat(status(queryId).conflictingCopies()).isEqualTo(1);
        } finally {
            admin.deleteQueue(Topology.taskQueue(otherPatient));
        }
    }

    @Test
    void aCacheHitReturnsTheSameBytesAndAsksNoSource() {
        long config = threeSourceConfig("first_wins", 60);
        String first = submit(studiesOfP1(config, 2, 0), false);
        SpanAnswer fresh = finalAnswer(first);
        String second = submit(studiesOfP1(config, 2, 0), false);
        SpanAnswer cached = finalAnswer(second);

        assertThat(fresh.fromCache()).isFalse();
        assertThat(cached.fromCache()).isTrue();
        assertThat(cached.matches()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(cached.matches().get(i)).isEqualTo(fresh.matches().get(i));
        }
        assertThat(cached.remaining()).isEqualTo(fresh.remaining()).isEqualTo(1);
        assertThat(worker.tasksOf(first)).hasSize(3);
        assertThat(worker.tasksOf(second)).isEmpty();
        assertThat(status(second).fromCache()).isTrue();
        // The admin API stores "study_root"; tasks carry the contract's names, which workers match on.
        assertThat(worker.tasksOf(first))
                .allSatisfy(t -> assertThat(t.source().informationModels())
                        .containsExactly(InformationModel.STUDY_ROOT, InformationModel.PATIENT_ROOT));
    }

    /** The JSON of each source's part in the status Redis holds for {@code queryId}, as every service reads it. */
    List<String> sourceStatusJson(String queryId) {
        String text = redis.opsForValue().get(RedisKeys.queryStatus(queryId));
        assertThat(text).as("status of " + queryId).isNotNull();
        List<String> out = new ArrayList<>();
        json.readTree(text).get("sources").forEach(source -> out.add(source.toString()));
        return out;
    }

    @Test
    void aSourceThatCouldNotApplyAKeyKeepsItsRecordsSucceedsAndIsNotedInTheAnswerTheStatusAndTheCachedAnswer() {
        long notVerifying = fixture.source("PACS X", "PACSX");
        try (FakeWorker x = new FakeWorker(connections, admin, rabbit, converter, notVerifying)) {
            x.behave(
                    notVerifying,
                    Behaviour.answering(List.of(STUDY_2, STUDY_3))
                            .inBatchesOf(1)
                            .notVerifying("ModalitiesInStudy"));
            long config = fixture.config(
                    "partial_results",
                    null,
                    "first_wins",
                    10,
                    60,
                    List.of(new Mapping(pacsA, 1), new Mapping(notVerifying, 2)));
            String first = submit(studiesOfP1(config, null, 0), false);
            SpanAnswer answer = finalAnswer(first);
            String second = submit(studiesOfP1(config, null, 0), false);
            SpanAnswer cached = finalAnswer(second);

            SpanAnswer.SourceNote note = new SpanAnswer.SourceNote(
                    notVerifying, "PACS X-" + notVerifying, "PACSX", List.of("ModalitiesInStudy"));
            assertThat(answer.state()).isEqualTo(QueryState.COMPLETE);
            assertThat(answer.failures()).isEmpty();
            assertThat(answer.notes()).containsExactly(note);
            assertThat(decode(answer.matches()))
                    .containsExactly(
                            qidoStudy(STUDY_1_ON_A, "PACS_A"),
                            qidoStudy(STUDY_2, "PACSX"),
                            qidoStudy(STUDY_3, "PACSX"));
            List<String> sources = List.of(
                    "{\"sourceId\":" + pacsA + ",\"name\":\"PACS A-" + pacsA + "\",\"aeTitle\":\"PACS_A\","
                            + "\"state\":\"SUCCESS\",\"matches\":1,\"droppedByRecheck\":0,\"latencyMillis\":5,"
                            + "\"error\":null,\"unverifiedKeys\":[],\"verificationBound\":0}",
                    "{\"sourceId\":" + notVerifying + ",\"name\":\"PACS X-" + notVerifying + "\",\"aeTitle\":\"PACSX\","
                            + "\"state\":\"SUCCESS\",\"matches\":2,\"droppedByRecheck\":0,\"latencyMillis\":5,"
                            + "\"error\":null,\"unverifiedKeys\":[\"ModalitiesInStudy\"],\"verificationBound\":0}");
            assertThat(status(first).state()).isEqualTo(QueryState.COMPLETE);
            assertThat(sourceStatusJson(first)).containsExactlyElementsOf(sources);

            assertThat(cached.fromCache()).isTrue();
            assertThat(cached.notes()).containsExactly(note);
            assertThat(cached.failures()).isEmpty();
            assertThat(x.tasksOf(second)).isEmpty();
            assertThat(status(second).fromCache()).isTrue();
            assertThat(sourceStatusJson(second)).containsExactlyElementsOf(sources);
        } finally {
            admin.deleteQueue(Topology.taskQueue(notVerifying));
        }
    }

    @Test
    void aStreamedAnswerNotesASourceThatCouldNotApplyAKeyFromTheFirstAnswerAfterItsLastBatch() throws Exception {
        CountDownLatch releaseX = new CountDownLatch(1);
        long gatedX = fixture.source("PACS X gated", "PACSX");
        try (FakeWorker gated = new FakeWorker(connections, admin, rabbit, converter, gatedX)) {
            gated.behave(
                    gatedX,
                    Behaviour.answering(List.of(STUDY_2)).after(releaseX).notVerifying("ModalitiesInStudy"));
            long config = aThenGatedB(gatedX);
            String queryId = submit(cFindStudiesOfP1(config), true, answers.getName(), EntryPoint.DIMSE);

            SpanAnswer first = nextAnswer();
            releaseX.countDown();
            List<SpanAnswer> rest = lastAnswers(queryId, 2);
            SpanAnswer second = rest.get(0);
            SpanAnswer last = rest.get(1);

            SpanAnswer.SourceNote note =
                    new SpanAnswer.SourceNote(gatedX, "PACS X gated-" + gatedX, "PACSX", List.of("ModalitiesInStudy"));
            assertThat(decode(first.matches())).containsExactly(cFindStudy("1.2.840.99.1", "20240105", "PACS_A"));
            assertThat(first.notes()).as("X has not answered yet").isEmpty();
            assertThat(decode(second.matches())).containsExactly(cFindStudy("1.2.840.99.2", "20230301", "PACSX"));
            assertThat(second.notes()).containsExactly(note);
            assertThat(last.state()).isEqualTo(QueryState.COMPLETE);
            assertThat(last.notes()).containsExactly(note);
        } finally {
            admin.deleteQueue(Topology.taskQueue(gatedX));
        }
    }

    /**
     * An answer as a coordinator with another {@code max-results} left it in the result cache of this config, before
     * the key rotation this coordinator is in.
     */
    List<byte[]> cacheAnswerMadeElsewhere(SpanQuery query, int maxResults) {
        List<byte[]> records = List.of(
                DicomWriter.encode(qidoStudy(STUDY_1_ON_A, "PACS_A"), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                DicomWriter.encode(qidoStudy(STUDY_2, "PACS_B"), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                DicomWriter.encode(qidoStudy(STUDY_3, "PACS_C"), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        SharedAnswer made = new SharedAnswer(QueryState.COMPLETE, records, List.of(), 3, 3, 0, List.of(), maxResults);
        redis.opsForValue()
                .set(
                        RedisKeys.resultCache(query.configId(), 1, query.answerHash("")),
                        TestSealing.codec(TestSealing.KEY).sealEntry(made),
                        Duration.ofMinutes(1));
        return records;
    }

    /** The patient data of the canned studies, none of which may be readable where the services keep or send it. */
    static final String[] PATIENT_DATA = {"DOE^JANE", "ROE^RICHARD", "20240105", "20230301", "1.2.840.99.1"};

    @Test
    void redisEntriesAndMessagesOfAQueryHoldNoPatientDataInClear() throws Exception {
        long config = threeSourceConfig("first_wins", 60);
        SpanQuery query = studiesOfP1(config, null, 0);
        String asyncId = submit(query, false, null, EntryPoint.QIDO);
        String result = null;
        for (int i = 0; i < 150 && result == null; i++) {
            Thread.sleep(100);
            result = redis.opsForValue().get(RedisKeys.queryResult(asyncId));
        }
        String cached = redis.opsForValue().get(RedisKeys.resultCache(config, 1, query.answerHash("")));
        String syncId = submit(studiesOfP1(config, 2, 0), false);
        Message answer = rabbit.receive(answers.getName(), DEADLINE_MILLIS + 5_000);

        assertThat(result).as("async result").isNotNull().doesNotContain(PATIENT_DATA);
        assertThat(cached).as("cache entry").isNotNull().doesNotContain(PATIENT_DATA);
        assertThat(sealed.openEntryText(result).orElseThrow()).contains("DOE^JANE");
        assertThat(sealed.openEntry(cached, SharedAnswer.class).orElseThrow().records())
                .hasSize(3);
        // Written now: sealed with the current key of the rotation.
        assertThat(keyIdOf(Base64.getDecoder().decode(cached)))
                .isEqualTo(DataKey.ofBase64(TestSealing.NEXT_KEY).id());
        assertThat(answer).as("the cached answer of " + syncId).isNotNull();
        assertThat(answer.getMessageProperties().getContentType()).isEqualTo(SealedCodec.CONTENT_TYPE);
        assertThat(latin1(answer.getBody())).doesNotContain(PATIENT_DATA);
        List<byte[]> bodies = worker.messageBodiesOf(asyncId);
        assertThat(bodies).as("3 tasks, 3 results").hasSize(6);
        assertThat(bodies)
                .allSatisfy(body ->
                        assertThat(latin1(body)).doesNotContain(PATIENT_DATA).doesNotContain("00100020"));
        assertThat(bodies)
                .allSatisfy(body -> assertThat(keyIdOf(body))
                        .isEqualTo(DataKey.ofBase64(TestSealing.NEXT_KEY).id()));
    }

    @Test
    void aCachedAnswerChangedByOneByteIsNotServedButAskedOfTheSourcesAgainAndCounted() {
        long config = threeSourceConfig("first_wins", 60);
        SpanQuery query = studiesOfP1(config, 2, 0);
        SpanAnswer fresh = finalAnswer(submit(query, false));
        String key = RedisKeys.resultCache(config, 1, query.answerHash(""));
        byte[] entry = Base64.getDecoder().decode(redis.opsForValue().get(key));
        entry[entry.length / 2] ^= 0x01;
        redis.opsForValue().set(key, Base64.getEncoder().encodeToString(entry), Duration.ofMinutes(1));
        double rejectedBefore = rejected("redis", "tampered");

        String again = submit(query, false);
        SpanAnswer answer = finalAnswer(again);

        assertThat(answer.fromCache()).isFalse();
        assertThat(worker.tasksOf(again)).hasSize(3);
        assertThat(answer.matches()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(answer.matches().get(i)).isEqualTo(fresh.matches().get(i));
        }
        assertThat(rejected("redis", "tampered")).isEqualTo(rejectedBefore + 1);
        // The answer of the sources replaced the changed entry, which opens again.
        assertThat(sealed.openEntry(redis.opsForValue().get(key), SharedAnswer.class))
                .isPresent();
    }

    @Test
    void duringAKeyRotationAnswersCachedUnderThePreviousKeyAreServedUntilTheyExpire() {
        SpanQuery query = studiesOfP1(threeSourceConfig("first_wins", 60), null, 0);
        List<byte[]> records = cacheAnswerMadeElsewhere(query, 0);
        String key = RedisKeys.resultCache(query.configId(), 1, query.answerHash(""));
        assertThat(keyIdOf(Base64.getDecoder().decode(redis.opsForValue().get(key))))
                .isEqualTo(DataKey.ofBase64(TestSealing.KEY).id());

        String queryId = submit(query, false);
        SpanAnswer answer = finalAnswer(queryId);

        assertThat(answer.fromCache()).isTrue();
        assertThat(answer.matches()).containsExactlyElementsOf(records);
        assertThat(worker.tasksOf(queryId)).isEmpty();
    }

    @Test
    void anAnswerCachedUnderAKeyThisCoordinatorDoesNotHaveIsAMissAndCounted() {
        long config = threeSourceConfig("first_wins", 60);
        SpanQuery query = studiesOfP1(config, null, 0);
        SharedAnswer foreign = new SharedAnswer(QueryState.COMPLETE, List.of(), List.of(), 0, 0, 0, List.of(), 0);
        String key = RedisKeys.resultCache(config, 1, query.answerHash(""));
        redis.opsForValue()
                .set(
                        key,
                        TestSealing.codec(Base64.getEncoder().encodeToString(new byte[32]))
                                .sealEntry(foreign),
                        Duration.ofMinutes(1));
        double rejectedBefore = rejected("redis", "unknown_key");

        String queryId = submit(query, false);
        SpanAnswer answer = finalAnswer(queryId);

        assertThat(answer.fromCache()).isFalse();
        assertThat(answer.totalMatches()).isEqualTo(3);
        assertThat(worker.tasksOf(queryId)).hasSize(3);
        assertThat(rejected("redis", "unknown_key")).isEqualTo(rejectedBefore + 1);
    }

    @Test
    void aSpanRequestThatDoesNotOpenIsDeadLetteredNotAnswered() throws Exception {
        Queue dead = new Queue("spanner.test.dead-letters-" + UUID.randomUUID(), false, true, false);
        admin.declareQueue(dead);
        admin.declareBinding(BindingBuilder.bind(dead).to(TopologyDeclarations.deadLetterExchange()));
        try {
            double rejectedBefore = rejected("amqp", "unknown_key");
            byte[] foreign = TestSealing.codec(Base64.getEncoder().encodeToString(new byte[32]))
                    .sealMessage(new SpanRequest(
                            "q-foreign-" + RUN,
                            studiesOfP1(threeSourceConfig("first_wins", 0), null, 0),
                            EntryPoint.QIDO,
                            "api-key:7",
                            answers.getName(),
                            false,
                            System.currentTimeMillis() + DEADLINE_MILLIS,
                            null));
            rabbit.send(
                    "",
                    REQUESTS_QUEUE,
                    org.springframework.amqp.core.MessageBuilder.withBody(foreign)
                            .setContentType(SealedCodec.CONTENT_TYPE)
                            .setHeader(Topology.HEADER_QUERY_ID, "q-foreign-" + RUN)
                            .build());

            Message deadLettered = null;
            long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (deadLettered == null && System.nanoTime() < giveUp) {
                Message m = rabbit.receive(dead.getName(), 500);
                if (m != null
                        && ("q-foreign-" + RUN).equals(m.getMessageProperties().getHeader(Topology.HEADER_QUERY_ID))) {
                    deadLettered = m;
                }
            }
            assertThat(deadLettered).as("dead-lettered").isNotNull();
            assertThat(deadLettered.getBody()).isEqualTo(foreign);
            @SuppressWarnings("unchecked")
            List<java.util.Map<String, Object>> deaths = (List<java.util.Map<String, Object>>)
                    deadLettered.getMessageProperties().getHeaders().get("x-death");
            assertThat(deaths.get(0).get("reason")).isEqualTo("rejected");
            assertThat(deaths.get(0).get("queue")).isEqualTo(REQUESTS_QUEUE);
            assertThat(rejected("amqp", "unknown_key")).isEqualTo(rejectedBefore + 1);
            assertThat(rabbit.receive(answers.getName(), 500)).as("no answer").isNull();
        } finally {
            admin.deleteQueue(dead.getName());
        }
    }

    double rejected(String store, String reason) {
        return meters.get("spanner.sealed.value.rejected")
                .tag("store", store)
                .tag("reason", reason)
                .counter()
                .count();
    }

    static String keyIdOf(byte[] sealed) {
        return HexFormat.of().formatHex(sealed, 1, 5);
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aCachedAnswerIsPagedByTheMaxResultsOfTheCoordinatorThatMadeItAsTheGatewayPagesIt() {
        // This coordinator's max-results is 10000; the answer's maker returned at most 2 results per answer.
        SpanQuery query = studiesOfP1(threeSourceConfig("first_wins", 60), null, 0);
        List<byte[]> records = cacheAnswerMadeElsewhere(query, 2);

        String queryId = submit(query, false);
        SpanAnswer answer = finalAnswer(queryId);

        assertThat(answer.fromCache()).isTrue();
        assertThat(answer.matches()).containsExactly(records.get(0), records.get(1));
        assertThat(answer.remaining()).isEqualTo(1);
        assertThat(answer.totalMatches()).isEqualTo(3);
        assertThat(worker.tasksOf(queryId)).isEmpty();
    }

    @Test
    void aCachedAnswerThatDoesNotSayHowItPagesIsPagedByThisCoordinatorsMaxResults() {
        SpanQuery query = studiesOfP1(threeSourceConfig("first_wins", 60), null, 0);
        List<byte[]> records = cacheAnswerMadeElsewhere(query, 0);

        String queryId = submit(query, false);
        SpanAnswer answer = finalAnswer(queryId);

        assertThat(answer.fromCache()).isTrue();
        assertThat(answer.matches()).containsExactlyElementsOf(records);
        assertThat(answer.remaining()).isZero();
        assertThat(status(queryId).fromCache()).isTrue();
    }

    @Test
    void twoIdenticalQueriesInFlightShareOneFanOut() {
        long slowA = fixture.source("PACS A slow", "PACS_A");
        try (FakeWorker slow = new FakeWorker(connections, admin, rabbit, converter, slowA)) {
            slow.behave(slowA, Behaviour.answering(List.of(STUDY_1_ON_A)).delayedBy(1_000));
            long config = fixture.config("partial_results", null, "first_wins", 10, 0, List.of(new Mapping(slowA, 1)));
            String one = submit(studiesOfP1(config, null, 0), false);
            String two = submit(studiesOfP1(config, null, 0), false);

            SpanAnswer a = nextAnswer();
            SpanAnswer b = nextAnswer();

            assertThat(List.of(a.queryId(), b.queryId())).containsExactlyInAnyOrder(one, two);
            assertThat(decode(a.matches())).containsExactly(qidoStudy(STUDY_1_ON_A, "PACS_A"));
            assertThat(a.matches().get(0)).isEqualTo(b.matches().get(0));
            assertThat(slow.tasksOf(one).size() + slow.tasksOf(two).size()).isEqualTo(1);
            assertThat(List.of(status(one).coalesced(), status(two).coalesced()))
                    .containsExactlyInAnyOrder(true, false);
        } finally {
            admin.deleteQueue(Topology.taskQueue(slowA));
        }
    }

    @Test
    void identicalQueriesThatJoinedOneItsEntryCancelledFanOutThemselvesRatherThanInheritIt() {
        long slowA = fixture.source("PACS A cancelled", "PACS_A");
        try (FakeWorker worker = new FakeWorker(connections, admin, rabbit, converter, slowA)) {
            // The first task ends as a worker ends one after the entry's C-CANCEL; any later task answers.
            worker.behave(
                    slowA,
                    Behaviour.failing(SourceOutcome.CANCELLED).delayedBy(1_000),
                    Behaviour.answering(List.of(STUDY_1_ON_A)));
            long config = fixture.config("partial_results", null, "first_wins", 10, 0, List.of(new Mapping(slowA, 1)));
            String one = submit(studiesOfP1(config, null, 0), false);
            String two = submit(studiesOfP1(config, null, 0), false);

            Map<QueryState, SpanAnswer> byState = new EnumMap<>(QueryState.class);
            for (int i = 0; i < 2; i++) {
                SpanAnswer answer = nextAnswer();
                byState.put(answer.state(), answer);
            }

            assertThat(byState).containsOnlyKeys(QueryState.FAILED, QueryState.COMPLETE);
            assertThat(byState.get(QueryState.FAILED).matches()).isEmpty();
            assertThat(byState.get(QueryState.FAILED).failures())
                    .extracting(SpanAnswer.SourceFailure::outcome)
                    .containsExactly(SourceOutcome.CANCELLED);
            assertThat(decode(byState.get(QueryState.COMPLETE).matches()))
                    .containsExactly(qidoStudy(STUDY_1_ON_A, "PACS_A"));
            assertThat(List.of(
                            byState.get(QueryState.FAILED).queryId(),
                            byState.get(QueryState.COMPLETE).queryId()))
                    .containsExactlyInAnyOrder(one, two);
            assertThat(worker.tasksOf(one)).hasSize(1);
            assertThat(worker.tasksOf(two)).hasSize(1);
        } finally {
            admin.deleteQueue(Topology.taskQueue(slowA));
        }
    }

    @Test
    void theQueryLogRowHoldsTokensNotPatientIds() throws Exception {
        String queryId = submit(studiesOfP1(threeSourceConfig("first_wins", 0), null, 0), false);
        finalAnswer(queryId);

        try (Connection c = TestDatabase.connect();
                PreparedStatement s = c.prepareStatement(
                        "select tokenized_filters::text, tokenized_filters ->> 'PatientID', caller_api_key_id,"
                                + " sources_asked, sources_answered, sources_failed, matches_before_dedup,"
                                + " matches_after_dedup, status, query_level, entry_point, error"
                                + " from query_log where id = ?::uuid")) {
            s.setString(1, queryId);
            // The row is written after the answer is sent, off the answer's critical path.
            ResultSet rs = s.executeQuery();
            for (int i = 0; i < 50 && !rs.next(); i++) {
                Thread.sleep(100);
                rs = s.executeQuery();
            }
            assertThat(rs.getRow()).as("the query_log row").isEqualTo(1);
            String token = PhiTokenizer.withSecret(SECRET).patientId("P1");
            assertThat(rs.getString(2)).isEqualTo(token).startsWith(PhiTokenizer.TOKEN_PREFIX);
            assertThat(rs.getString(1)).isEqualTo("{\"PatientID\": \"" + token + "\"}");
            assertThat(rs.getLong(3)).isEqualTo(7);
            assertThat(rs.getInt(4)).isEqualTo(3);
            assertThat(rs.getInt(5)).isEqualTo(3);
            assertThat(rs.getInt(6)).isZero();
            assertThat(rs.getInt(7)).isEqualTo(5);
            assertThat(rs.getInt(8)).isEqualTo(3);
            assertThat(rs.getString(9)).isEqualTo("completed");
            assertThat(rs.getString(10)).isEqualTo("study");
            assertThat(rs.getString(11)).isEqualTo("qido");
            assertThat(rs.getString(12)).isNull();
        }
    }

    @Test
    void aBatchSentAgainAfterARedeliveryIsCountedOnce() {
        long redelivering = fixture.source("PACS redelivering", "PACS_R");
        try (FakeWorker w = new FakeWorker(connections, admin, rabbit, converter, redelivering)) {
            w.behave(
                    redelivering,
                    Behaviour.answering(List.of(STUDY_2, STUDY_3))
                            .inBatchesOf(1)
                            .sendingFirstBatchTwice());
            long config =
                    fixture.config("partial_results", null, "merge_all", 10, 0, List.of(new Mapping(redelivering, 1)));
            String queryId = submit(studiesOfP1(config, null, 0), false);

            SpanAnswer answer = finalAnswer(queryId);

            assertThat(decode(answer.matches()))
                    .containsExactly(qidoStudy(STUDY_2, "PACS_R"), qidoStudy(STUDY_3, "PACS_R"));
            QueryStatus status = status(queryId);
            assertThat(status.matchesBeforeDeduplication()).isEqualTo(2);
            assertThat(status.sources().get(0).matches()).isEqualTo(2);
        } finally {
            admin.deleteQueue(Topology.taskQueue(redelivering));
        }
    }

    @Test
    void aTaskNobodyTookBeforeItsDeadlineIsDeadLetteredNeverDelivered() throws Exception {
        // Our own window on the dead-letter exchange, so the shared dead-letter queue is left to its owners.
        Queue deadLetters = new Queue("spanner.test.dead-letters-" + UUID.randomUUID(), false, true, false);
        admin.declareQueue(deadLetters);
        admin.declareBinding(BindingBuilder.bind(deadLetters).to(TopologyDeclarations.deadLetterExchange()));
        try {
            long config =
                    fixture.config("partial_results", null, "first_wins", 1, 0, List.of(new Mapping(neverConsumed, 1)));
            String queryId = submit(studiesOfP1(config, null, 0), false);

            SpanAnswer answer = finalAnswer(queryId);
            assertThat(answer.state()).isEqualTo(QueryState.TIMED_OUT);

            Message dead = null;
            for (int i = 0; i < 20 && dead == null; i++) {
                Message m = rabbit.receive(deadLetters.getName(), 1_000);
                if (m != null && queryId.equals(m.getMessageProperties().getHeader(Topology.HEADER_QUERY_ID))) {
                    dead = m;
                }
            }
            assertThat(dead).as("the expired task in the dead-letter exchange").isNotNull();
            assertThat(dead.getMessageProperties().getReceivedRoutingKey())
                    .isEqualTo(Topology.taskRoutingKey(neverConsumed));
            @SuppressWarnings("unchecked")
            List<java.util.Map<String, Object>> deaths = (List<java.util.Map<String, Object>>)
                    dead.getMessageProperties().getHeaders().get("x-death");
            assertThat(deaths.get(0).get("reason")).isEqualTo("expired");
            assertThat(deaths.get(0).get("queue")).isEqualTo(Topology.taskQueue(neverConsumed));

            // A worker that joins the queue afterwards gets nothing of this query.
            try (FakeWorker late = new FakeWorker(connections, admin, rabbit, converter, neverConsumed)) {
                Thread.sleep(500);
                assertThat(late.tasksOf(queryId)).isEmpty();
            }
        } finally {
            admin.deleteQueue(deadLetters.getName());
        }
    }

    @Test
    void maxConcurrentSourcesAsksThatManySourcesAtOnceAndTheNextWhenOneEnds() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        long gatedA = fixture.source("Gated A", "PACS_A");
        long config = fixture.config(
                "partial_results",
                null,
                "first_wins",
                10,
                0,
                List.of(new Mapping(gatedA, 1), new Mapping(pacsB, 2), new Mapping(pacsC, 3)));
        fixture.maxConcurrentSources(config, 1);
        try (FakeWorker gated = new FakeWorker(connections, admin, rabbit, converter, gatedA)) {
            gated.behave(gatedA, Behaviour.answering(List.of(STUDY_1_ON_A)).after(gate));
            String queryId = submit(studiesOfP1(config, null, 0), false);
            for (int i = 0; i < 300 && gated.tasksOf(queryId).isEmpty(); i++) {
                Thread.sleep(100);
            }
            assertThat(gated.tasksOf(queryId)).hasSize(1);
            Thread.sleep(500);
            assertThat(worker.tasksOf(queryId))
                    .as("B and C wait while A is asked")
                    .isEmpty();

            gate.countDown();
            SpanAnswer answer = finalAnswer(queryId);

            assertThat(answer.state()).isEqualTo(QueryState.COMPLETE);
            assertThat(decode(answer.matches()))
                    .containsExactly(
                            qidoStudy(STUDY_1_ON_A, "PACS_A", "PACS_B"),
                            qidoStudy(STUDY_2, "PACS_B", "PACS_C"),
                            qidoStudy(STUDY_3, "PACS_C"));
            // one at a time, best priority first
            assertThat(worker.tasksOf(queryId))
                    .extracting(t -> t.source().sourceId())
                    .containsExactly(pacsB, pacsC);
        } finally {
            admin.deleteQueue(Topology.taskQueue(gatedA));
        }
    }

    @Test
    void sourcesWithoutFiltersShareOneIdentifierAndASourceWithAnAdditionalFilterGetsItsOwn() throws Exception {
        long filtered = fixture.source("Filtered D", "PACS_D");
        long config = fixture.config(
                "partial_results",
                null,
                "first_wins",
                10,
                0,
                List.of(
                        new Mapping(pacsA, 1),
                        new Mapping(filtered, 2, null, "{\"InstitutionName\":\"NORTH\"}"),
                        new Mapping(pacsB, 3)));
        try (FakeWorker north = new FakeWorker(connections, admin, rabbit, converter, filtered)) {
            north.behave(filtered, Behaviour.answering(List.of()));
            String queryId = submit(studiesOfP1(config, null, 0), false);

            assertThat(finalAnswer(queryId).state()).isEqualTo(QueryState.COMPLETE);
            List<Attributes> plain = worker.tasksOf(queryId).stream()
                    .map(t -> new DicomJsonReader().read(t.identifier()))
                    .toList();
            Attributes ofNorth =
                    new DicomJsonReader().read(north.tasksOf(queryId).get(0).identifier());
            assertThat(plain).hasSize(2);
            assertThat(plain.get(0).getString(Tag.PATIENT_ID)).isEqualTo("P1");
            assertThat(plain.get(0).contains(INSTITUTION_NAME)).isFalse();
            assertThat(worker.tasksOf(queryId).get(1).identifier())
                    .isEqualTo(worker.tasksOf(queryId).get(0).identifier());
            assertThat(ofNorth.getString(INSTITUTION_NAME)).isEqualTo("NORTH");
            assertThat(ofNorth.vrOf(INSTITUTION_NAME)).isEqualTo(VR.LO);
            assertThat(ofNorth.getString(Tag.PATIENT_ID)).isEqualTo("P1");
        } finally {
            admin.deleteQueue(Topology.taskQueue(filtered));
        }
    }

    private static final int INSTITUTION_NAME = 0x00080080;

    @Test
    void qidoResultsCarryRetrieveUrlsUnderTheEntrysBaseAndAreCachedPerBase() {
        long config = threeSourceConfig("first_wins", 60);
        String base = "https://spanner.example.org/dicomweb/" + config;
        String other = "http://10.0.0.5:8001/dicomweb/" + config;

        SpanAnswer answer =
                finalAnswer(submit(studiesOfP1(config, null, 0), false, answers.getName(), EntryPoint.QIDO, base));
        SpanAnswer underOther =
                finalAnswer(submit(studiesOfP1(config, null, 0), false, answers.getName(), EntryPoint.QIDO, other));
        SpanAnswer again =
                finalAnswer(submit(studiesOfP1(config, null, 0), false, answers.getName(), EntryPoint.QIDO, base));

        assertThat(decode(answer.matches()))
                .containsExactly(
                        withRetrieveUrl(qidoStudy(STUDY_1_ON_A, "PACS_A", "PACS_B"), base + "/studies/1.2.840.99.1"),
                        withRetrieveUrl(qidoStudy(STUDY_2, "PACS_B", "PACS_C"), base + "/studies/1.2.840.99.2"),
                        withRetrieveUrl(qidoStudy(STUDY_3, "PACS_C"), base + "/studies/1.2.840.99.3"));
        assertThat(underOther.fromCache()).as("another base is another answer").isFalse();
        assertThat(decode(underOther.matches()))
                .extracting(a -> a.getString(Tag.RETRIEVE_URL))
                .containsExactly(
                        other + "/studies/1.2.840.99.1",
                        other + "/studies/1.2.840.99.2",
                        other + "/studies/1.2.840.99.3");
        assertThat(again.fromCache()).isTrue();
        assertThat(decode(again.matches())).isEqualTo(decode(answer.matches()));
    }

    @Test
    void withoutABaseQidoResultsCarryNoRetrieveUrl() {
        SpanAnswer answer = finalAnswer(submit(studiesOfP1(threeSourceConfig("first_wins", 0), null, 0), false));

        assertThat(decode(answer.matches())).noneMatch(a -> a.contains(Tag.RETRIEVE_URL));
    }

    @Test
    void withoutABaseAResultKeepsTheRetrieveUrlItsSourceGaveAndWithOneGetsTheSpannersInstead() {
        String archiveUrl = "http://archive.example.org:8042/dicom-web/studies/1.2.840.99.3";
        Attributes study3FromArchive = withRetrieveUrl(Attributes.copyOf(STUDY_3), archiveUrl);
        worker.behave(pacsC, Behaviour.answering(List.of(STUDY_2, study3FromArchive, STUDY_OF_ANOTHER_PATIENT)));
        long config = threeSourceConfig("first_wins", 0);
        String base = "https://spanner.example.org/dicomweb/" + config;

        SpanAnswer withoutBase = finalAnswer(submit(studiesOfP1(config, null, 0), false));
        SpanAnswer withBase =
                finalAnswer(submit(studiesOfP1(config, null, 0), false, answers.getName(), EntryPoint.QIDO, base));

        assertThat(decode(withoutBase.matches()))
                .containsExactly(
                        qidoStudy(STUDY_1_ON_A, "PACS_A", "PACS_B"),
                        qidoStudy(STUDY_2, "PACS_B", "PACS_C"),
                        withRetrieveUrl(qidoStudy(STUDY_3, "PACS_C"), archiveUrl));
        assertThat(decode(withBase.matches()))
                .extracting(a -> a.getString(Tag.RETRIEVE_URL))
                .containsExactly(
                        base + "/studies/1.2.840.99.1", base + "/studies/1.2.840.99.2", base + "/studies/1.2.840.99.3");
    }

    static Attributes withRetrieveUrl(Attributes result, String url) {
        result.setString(Tag.RETRIEVE_URL, VR.UR, url);
        return result;
    }

    @Test
    void metricsAreServedAtMetricsAndActuatorPrometheus() throws Exception {
        String queryId = submit(studiesOfP1(threeSourceConfig("first_wins", 0), null, 0), false);
        finalAnswer(queryId);
        HttpClient http = HttpClient.newHttpClient();

        for (String path : List.of("/metrics", "/actuator/prometheus")) {
            String body = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(body)
                    .contains("spanner_queries_total{entry_point=\"qido\",level=\"study\",state=\"complete\"}")
                    .contains("spanner_query_duration_seconds_bucket{entry_point=\"qido\",level=\"study\"")
                    .contains("spanner_source_results_total{source=\"" + pacsC + "\"}")
                    .contains("spanner_source_outcomes_total{outcome=\"success\",source=\"" + pacsC + "\"}")
                    .contains("spanner_cache_requests_total{result=\"miss\"}")
                    .contains("spanner_coalesced_queries_total")
                    .contains("spanner_redis_errors_total");
        }
    }
}
