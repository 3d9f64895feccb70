package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.json.DicomJsonWriter;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.testing.TestDatabase;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * On quorum queues, which refuse a channel-wide prefetch, a worker holds only the tasks of a source it runs: its one
 * consumer of the source's queue has a prefetch of {@code tasks-per-source}. With 1, the second and third task of a
 * source whose PACS is slow stay ready in the queue (for another worker to take), while a task of another source runs
 * at once.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "spanner.messaging.queue-type=quorum",
            "spanner.worker.tasks-per-source=1",
            "spanner.worker.health.enabled=false",
            "spanner.worker.source-refresh=1h",
            "spring.data.redis.timeout=5s",
            "spring.data.redis.connect-timeout=5s"
        })
class QuorumTaskConsumptionTest {

    /** Two source ids of this class alone: their queues are quorum queues, the other tests' classic ones. */
    static final long SLOW = 9_000_000_000L + (System.currentTimeMillis() % 1_000_000_000L) * 2;

    static final long FAST = SLOW + 1;

    private static ApplicationContext context;

    @DynamicPropertySource
    static void sources(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spanner.worker.sources", () -> SLOW + "," + FAST);
    }

    @Autowired
    WorkerProperties properties;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    MessageConverter converter;

    @Autowired
    AmqpAdmin admin;

    String replyQueue;

    @BeforeEach
    void declareReplyQueue() {
        replyQueue = admin.declareQueue(new Queue("worker-test.replies." + UUID.randomUUID(), false, false, false));
    }

    @AfterEach
    void deleteReplyQueue() {
        admin.deleteQueue(replyQueue);
    }

    @Autowired
    AbstractMessageListenerContainer taskListenerContainer;

    @Autowired
    void keep(ApplicationContext spring) {
        context = spring;
    }

    @AfterAll
    static void removeQuorumQueues() {
        context.getBean("taskListenerContainer", AbstractMessageListenerContainer.class)
                .stop();
        AmqpAdmin admin = context.getBean(AmqpAdmin.class);
        admin.deleteQueue(Topology.taskQueue(SLOW));
        admin.deleteQueue(Topology.taskQueue(FAST));
    }

    @Test
    void aWorkerHoldsOnlyTheTasksItRunsAndOtherSourcesTasksRunBesideThem() throws Exception {
        assertThat(properties.sources()).containsExactly(SLOW, FAST);
        assertThat(taskListenerContainer).isInstanceOf(DirectMessageListenerContainer.class);
        try (TestPacs slowPacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true);
                TestPacs fastPacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            slowPacs.add(QueryLevel.STUDY, SourceTaskTest.study("P1", "DOE^JANE", "1.2.10.1"));
            slowPacs.pauseAfter(0);
            fastPacs.add(QueryLevel.STUDY, SourceTaskTest.study("P2", "ROE^RICHARD", "1.2.10.2"));
            SourceEndpoint slow = studyRoot(SLOW, slowPacs.port());
            SourceEndpoint fast = studyRoot(FAST, fastPacs.port());

            List<SourceTask> slowTasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SourceTask t = task(slow, "P1");
                slowTasks.add(t);
                publish(t);
            }
            assertThat(slowPacs.awaitFirstRequest(30)).isTrue();
            long until = System.currentTimeMillis() + 15_000;
            while (readyTasks(SLOW) != 2) {
                assertThat(System.currentTimeMillis())
                        .as("two tasks of the slow source ready in its queue")
                        .isLessThan(until);
                Thread.sleep(50);
            }

            SourceTask other = task(fast, "P2");
            publish(other);
            List<SourceResult> otherResults = resultsUntilFinal();
            assertThat(otherResults.get(otherResults.size() - 1).taskId()).isEqualTo(other.taskId());
            assertThat(otherResults.get(otherResults.size() - 1).outcome()).isEqualTo(SourceOutcome.SUCCESS);
            assertThat(matches(otherResults))
                    .containsExactly(SourceTaskTest.studyMatch("P2", "ROE^RICHARD", "1.2.10.2"));
            assertThat(readyTasks(SLOW))
                    .as("still waiting in the queue, not in the worker")
                    .isEqualTo(2);
            assertThat(slowPacs.requests()).hasSize(1);

            slowPacs.release();
            List<String> done = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<SourceResult> results = resultsUntilFinal();
                assertThat(results.get(results.size() - 1).outcome()).isEqualTo(SourceOutcome.SUCCESS);
                assertThat(matches(results)).containsExactly(SourceTaskTest.studyMatch("P1", "DOE^JANE", "1.2.10.1"));
                done.add(results.get(results.size() - 1).taskId());
            }
            assertThat(done)
                    .containsExactlyInAnyOrderElementsOf(
                            slowTasks.stream().map(SourceTask::taskId).toList());
            assertThat(readyTasks(SLOW)).isZero();
        }
    }

    private SourceTask task(SourceEndpoint source, String patientId) {
        String queryId = "q-" + UUID.randomUUID();
        return new SourceTask(
                queryId,
                queryId + "-" + source.sourceId(),
                source,
                QueryLevel.STUDY,
                new DicomJsonWriter().toJson(SourceTaskTest.studyQuery(patientId)),
                System.currentTimeMillis() + 60_000,
                replyQueue,
                0);
    }

    private static SourceEndpoint studyRoot(long sourceId, int port) {
        return WorkerTestSupport.endpoint(sourceId, port, List.of(InformationModel.STUDY_ROOT), true, 4);
    }

    private void publish(SourceTask task) {
        rabbit.convertAndSend(
                Topology.TASKS_EXCHANGE, Topology.taskRoutingKey(task.source().sourceId()), task);
    }

    /** One task's results, up to its final one: this test's tasks run one at a time per source. */
    private List<SourceResult> resultsUntilFinal() {
        List<SourceResult> results = new ArrayList<>();
        while (results.isEmpty() || !results.get(results.size() - 1).outcome().isFinal()) {
            Message m = rabbit.receive(replyQueue, 30_000);
            assertThat(m).as("a result within 30 s").isNotNull();
            m.getMessageProperties().setInferredArgumentType(SourceResult.class);
            results.add((SourceResult) converter.fromMessage(m));
        }
        return results;
    }

    private static List<Attributes> matches(List<SourceResult> results) {
        return results.stream()
                .flatMap(r -> r.matches().stream())
                .map(b -> DicomReader.read(b, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN))
                .toList();
    }

    private int readyTasks(long sourceId) {
        Properties queue = admin.getQueueProperties(Topology.taskQueue(sourceId));
        assertThat(queue).as("queue of source " + sourceId).isNotNull();
        assertThat(((Number) queue.get("QUEUE_CONSUMER_COUNT")).intValue())
                .as("consumers of the queue")
                .isEqualTo(1);
        return ((Number) queue.get("QUEUE_MESSAGE_COUNT")).intValue();
    }
}
