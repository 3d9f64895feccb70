package io.dicomspanner.coordinator.query;

import static io.dicomspanner.coordinator.query.SpanningQueryTest.STUDY_1_ON_A;
import static io.dicomspanner.coordinator.query.SpanningQueryTest.STUDY_1_ON_B;
import static io.dicomspanner.coordinator.query.SpanningQueryTest.STUDY_2;
import static io.dicomspanner.coordinator.query.SpanningQueryTest.decode;
import static io.dicomspanner.coordinator.query.SpanningQueryTest.qidoStudy;
import static io.dicomspanner.coordinator.query.SpanningQueryTest.studiesOfP1;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.coordinator.CoordinatorApplication;
import io.dicomspanner.coordinator.testing.FakeWorker;
import io.dicomspanner.coordinator.testing.FakeWorker.Behaviour;
import io.dicomspanner.coordinator.testing.SpanningFixture;
import io.dicomspanner.coordinator.testing.SpanningFixture.Mapping;
import io.dicomspanner.coordinator.testing.TestDatabase;
import io.dicomspanner.coordinator.testing.TestSealing;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A span request is acked only once its answer is out: a coordinator stopped mid-query leaves the request to another
 * coordinator, which runs it afresh and answers. Two coordinator applications on the real RabbitMQ, Redis and
 * PostgreSQL, one after the other on the same requests queue.
 */
class CoordinatorFailoverTest {

    static final String RUN = UUID.randomUUID().toString();
    static final String REQUESTS_QUEUE = "spanner.requests.test-failover-" + RUN;

    final SpanningFixture fixture = new SpanningFixture();
    CachingConnectionFactory connections;
    RabbitAdmin admin;
    RabbitTemplate rabbit;
    MessageConverter converter;
    FakeWorker worker;
    Queue answers;
    long pacsA;
    long pacsB;
    ConfigurableApplicationContext first;
    ConfigurableApplicationContext second;

    @BeforeEach
    void brokerAndWorker() {
        connections = new CachingConnectionFactory("127.0.0.1", 5672);
        admin = new RabbitAdmin(connections);
        rabbit = new RabbitTemplate(connections);
        converter = TopologyDeclarations.messageConverter(TestSealing.codec());
        rabbit.setMessageConverter(converter);
        admin.declareExchange(TopologyDeclarations.tasksExchange());
        admin.declareExchange(TopologyDeclarations.deadLetterExchange());
        pacsA = fixture.source("PACS A", "PACS_A");
        pacsB = fixture.source("PACS B", "PACS_B");
        worker = new FakeWorker(connections, admin, rabbit, converter, pacsA, pacsB);
        answers = new Queue(Topology.ANSWERS_QUEUE_PREFIX + "test-failover-" + RUN, false, false, false);
        admin.declareQueue(answers);
    }

    @AfterEach
    void cleanUp() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {first, second}) {
            if (context != null) {
                context.close();
            }
        }
        worker.close();
        for (String queue :
                List.of(answers.getName(), REQUESTS_QUEUE, Topology.taskQueue(pacsA), Topology.taskQueue(pacsB))) {
            admin.deleteQueue(queue);
        }
        connections.destroy();
    }

    @Test
    void aQueryWhoseCoordinatorStopsMidQueryIsAnsweredByAnother() throws Exception {
        CountDownLatch bAnswers = new CountDownLatch(1);
        worker.behave(pacsA, Behaviour.answering(List.of(STUDY_1_ON_A)));
        // B holds its first task until the first coordinator is gone, so that query cannot finish there.
        worker.behave(pacsB, Behaviour.answering(List.of(STUDY_1_ON_B, STUDY_2)).after(bAnswers));
        long config = fixture.config(
                "partial_results", null, "first_wins", 20, 0, List.of(new Mapping(pacsA, 1), new Mapping(pacsB, 2)));
        first = coordinator("first-" + RUN);
        String queryId = UUID.randomUUID().toString();
        rabbit.convertAndSend(
                "",
                REQUESTS_QUEUE,
                new SpanRequest(
                        queryId,
                        studiesOfP1(config, null, 0),
                        EntryPoint.QIDO,
                        "api-key:7",
                        answers.getName(),
                        false,
                        System.currentTimeMillis() + 60_000,
                        null));
        List<SourceTask> firstTasks = tasksOf(queryId, 2);
        assertThat(firstTasks)
                .extracting(SourceTask::replyTo)
                .containsOnly(Topology.RESULTS_QUEUE_PREFIX + "first-" + RUN);
        assertThat(waitingRequests()).as("taken").isZero();

        first.close();
        first = null;
        assertThat(waitingRequests())
                .as("the unanswered request is back in the queue")
                .isEqualTo(1);
        second = coordinator("second-" + RUN);
        List<SourceTask> allTasks = tasksOf(queryId, 4);
        bAnswers.countDown();

        Message message = rabbit.receive(answers.getName(), 30_000);
        assertThat(message).as("an answer").isNotNull();
        message.getMessageProperties().setInferredArgumentType(SpanAnswer.class);
        SpanAnswer answer = (SpanAnswer) converter.fromMessage(message);
        assertThat(answer.queryId()).isEqualTo(queryId);
        assertThat(answer.last()).isTrue();
        assertThat(answer.state()).isEqualTo(QueryState.COMPLETE);
        assertThat(decode(answer.matches()))
                .containsExactly(qidoStudy(STUDY_1_ON_A, "PACS_A", "PACS_B"), qidoStudy(STUDY_2, "PACS_B"));
        assertThat(allTasks.subList(2, 4))
                .extracting(SourceTask::replyTo)
                .containsOnly(Topology.RESULTS_QUEUE_PREFIX + "second-" + RUN);
        assertThat(rabbit.receive(answers.getName(), 1_000))
                .as("one answer only")
                .isNull();
        assertThat(waitingRequests()).as("taken again").isZero();
    }

    private ConfigurableApplicationContext coordinator(String instanceId) {
        // command line arguments: they win over application.yaml, as a deployment's settings do
        return new SpringApplicationBuilder(CoordinatorApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + TestDatabase.url(),
                        "--spanner.coordinator.requests-queue=" + REQUESTS_QUEUE,
                        "--spanner.coordinator.instance-id=" + instanceId,
                        "--spanner.coordinator.answer-margin=0ms",
                        "--spanner.phi.token-secret=" + SpanningQueryTest.SECRET);
    }

    private int waitingRequests() {
        Properties queue = admin.getQueueProperties(REQUESTS_QUEUE);
        return ((Number) queue.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).intValue();
    }

    /** Waits (up to 30 s) until the worker has received {@code count} tasks of the query. */
    private List<SourceTask> tasksOf(String queryId, int count) throws InterruptedException {
        for (int i = 0; i < 300 && worker.tasksOf(queryId).size() < count; i++) {
            Thread.sleep(100);
        }
        List<SourceTask> tasks = worker.tasksOf(queryId);
        assertThat(tasks).as("tasks of " + queryId).hasSize(count);
        return tasks;
    }
}
