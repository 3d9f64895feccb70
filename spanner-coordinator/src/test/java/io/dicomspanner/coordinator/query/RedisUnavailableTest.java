package io.dicomspanner.coordinator.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.coordinator.testing.FakeWorker;
import io.dicomspanner.coordinator.testing.FakeWorker.Behaviour;
import io.dicomspanner.coordinator.testing.SpanningFixture;
import io.dicomspanner.coordinator.testing.SpanningFixture.Mapping;
import io.dicomspanner.coordinator.testing.TestDatabase;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A coordinator whose Redis is unreachable (a closed port; the shared Redis is never stopped) still answers every
 * query, uncached and uncoalesced, and counts the Redis errors.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class RedisUnavailableTest {

    static final String RUN = UUID.randomUUID().toString();
    static final String REQUESTS_QUEUE = "spanner.requests.test-" + RUN;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", () -> "1");
        registry.add("spanner.coordinator.requests-queue", () -> REQUESTS_QUEUE);
        registry.add("spanner.coordinator.instance-id", () -> "test-" + RUN);
        registry.add("spanner.coordinator.answer-margin", () -> "0ms");
        registry.add("spanner.phi.token-secret", () -> SpanningQueryTest.SECRET);
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
    MeterRegistry meters;

    final SpanningFixture fixture = new SpanningFixture();
    long pacs;
    FakeWorker worker;
    Queue answers;

    @BeforeAll
    void start() {
        pacs = fixture.source("PACS", "PACS_A");
        worker = new FakeWorker(connections, admin, rabbit, converter, pacs);
        worker.behave(pacs, Behaviour.answering(List.of(SpanningQueryTest.STUDY_1_ON_A)));
        answers = new Queue(Topology.ANSWERS_QUEUE_PREFIX + "test-" + RUN, false, true, false);
        admin.declareQueue(answers);
    }

    @AfterAll
    void stopWorker() {
        worker.close();
        // Stopped first: a running listener would declare its deleted queue again.
        listeners.stop();
        List<String> queues = new ArrayList<>(List.of(answers.getName(), REQUESTS_QUEUE));
        for (long id : new long[] {pacs}) {
            queues.add(Topology.taskQueue(id));
        }
        queues.forEach(admin::deleteQueue);
    }

    @Test
    void queriesStillAnswerWithoutCacheOrCoalescingWhenRedisIsDown() {
        long config = fixture.config("partial_results", null, "first_wins", 10, 60, List.of(new Mapping(pacs, 1)));
        double errorsBefore = redisErrors();

        String one = submit(config);
        SpanAnswer first = answer();
        String two = submit(config);
        SpanAnswer second = answer();

        Attributes expected = SpanningQueryTest.qidoStudy(SpanningQueryTest.STUDY_1_ON_A, "PACS_A");
        for (SpanAnswer answer : List.of(first, second)) {
            assertThat(answer.state()).isEqualTo(QueryState.COMPLETE);
            assertThat(answer.fromCache()).isFalse();
            assertThat(answer.matches()).hasSize(1);
            assertThat(DicomReader.read(answer.matches().get(0), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN))
                    .isEqualTo(expected);
        }
        assertThat(List.of(first.queryId(), second.queryId())).containsExactly(one, two);
        // Nothing was cached or shared: each query asked the PACS itself.
        assertThat(worker.tasksOf(one)).hasSize(1);
        assertThat(worker.tasksOf(two)).hasSize(1);
        assertThat(redisErrors()).isGreaterThan(errorsBefore);
    }

    double redisErrors() {
        return meters.get("spanner.redis.errors").counter().count();
    }

    String submit(long configId) {
        String queryId = UUID.randomUUID().toString();
        SpanQuery query = new SpanQuery(
                configId,
                QueryLevel.STUDY,
                QidoResource.ALL_STUDIES,
                List.of(new QueryKey("00100020", "P1")),
                List.of(),
                false,
                false,
                null,
                0);
        rabbit.convertAndSend(
                "",
                REQUESTS_QUEUE,
                new SpanRequest(
                        queryId,
                        query,
                        EntryPoint.QIDO,
                        "ae:WORKSTATION@10.0.0.5",
                        answers.getName(),
                        false,
                        System.currentTimeMillis() + 10_000,
                        null));
        return queryId;
    }

    SpanAnswer answer() {
        Message message = rabbit.receive(answers.getName(), 15_000);
        assertThat(message).as("an answer").isNotNull();
        message.getMessageProperties().setInferredArgumentType(SpanAnswer.class);
        return (SpanAnswer) converter.fromMessage(message);
    }
}
