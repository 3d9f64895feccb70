package io.dicomspanner.worker.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ReturnListener;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker with no {@code spanner.worker.sources} serves every enabled source of the sources table, and follows the
 * table as sources are added and disabled, without a restart: its task queues, and the bindings of its own queue for
 * echo and probe requests. Real PostgreSQL (a database of this run) and RabbitMQ.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "spanner.worker.sources=",
            "spanner.worker.health.enabled=false",
            // the test refreshes itself, so each step is deterministic
            "spanner.worker.source-refresh=1h"
        })
@DirtiesContext
class AllSourcesTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
    }

    @Autowired
    ServedSources served;

    @Autowired
    DirectMessageListenerContainer taskListenerContainer;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    AmqpAdmin admin;

    @Autowired
    MessageConverter converter;

    private final long first = 6_000_000_000L + ThreadLocalRandom.current().nextLong(100_000_000L) * 10;
    private final long a = first;
    private final long b = first + 1;
    private final long disabled = first + 2;
    private final long added = first + 3;
    private String replies;

    @BeforeEach
    void replyQueue() {
        replies = admin.declareQueue(new Queue("worker-test.replies." + UUID.randomUUID(), false, false, false));
    }

    @AfterEach
    void cleanUp() {
        taskListenerContainer.stop();
        admin.deleteQueue(replies);
        for (long id : new long[] {a, b, disabled, added}) {
            admin.deleteQueue(Topology.taskQueue(id));
            TestDatabase.update("delete from dicom_source where id = ?", id);
        }
    }

    @Test
    void everyEnabledSourceIsServedAndTheSetFollowsTheTable() {
        TestDatabase.insertSource(a, "PACS_A", 11112, true);
        TestDatabase.insertSource(b, "PACS_B", 11112, true);
        TestDatabase.insertSource(disabled, "PACS_OFF", 11112, false);

        assertThat(served.refresh()).containsExactlyInAnyOrder(a, b);
        assertThat(taskListenerContainer.getQueueNames())
                .containsExactlyInAnyOrder(Topology.taskQueue(a), Topology.taskQueue(b));
        assertThat(served.endpoint(a)).map(SourceEndpoint::aeTitle).contains("PACS_A");
        assertThat(served.endpoint(disabled)).isEmpty();
        assertThat(outcomeOf(expiredTask(b))).isEqualTo(SourceOutcome.TIMEOUT);
        assertThat(routable(Topology.healthEchoRoutingKey(a))).isTrue();
        assertThat(routable(Topology.matchingProbeRoutingKey(a))).isTrue();
        assertThat(routable(Topology.matchingProbeRoutingKey(disabled))).isFalse();

        TestDatabase.update("update dicom_source set enabled = false where id = ?", a);
        TestDatabase.insertSource(added, "PACS_NEW", 11112, true);

        assertThat(served.refresh()).containsExactlyInAnyOrder(b, added);
        assertThat(taskListenerContainer.getQueueNames())
                .containsExactlyInAnyOrder(Topology.taskQueue(b), Topology.taskQueue(added));
        publish(expiredTask(a));
        assertThat(outcomeOf(expiredTask(added))).isEqualTo(SourceOutcome.TIMEOUT);
        Properties queueOfA = admin.getQueueProperties(Topology.taskQueue(a));
        assertThat(((Number) queueOfA.get(RabbitAdmin.QUEUE_CONSUMER_COUNT)).intValue())
                .isZero();
        assertThat(((Number) queueOfA.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).intValue())
                .as("the task of the disabled source waits")
                .isEqualTo(1);
        assertThat(routable(Topology.healthEchoRoutingKey(a))).isFalse();
        assertThat(routable(Topology.matchingProbeRoutingKey(a))).isFalse();
        assertThat(routable(Topology.matchingProbeRoutingKey(added))).isTrue();
    }

    @Test
    void withNoSourceLeftTheWorkerStopsConsuming() {
        TestDatabase.insertSource(a, "PACS_A", 11112, true);
        assertThat(served.refresh()).containsExactly(a);
        assertThat(taskListenerContainer.isRunning()).isTrue();

        TestDatabase.update("delete from dicom_source where id = ?", a);

        assertThat(served.refresh()).isEmpty();
        assertThat(taskListenerContainer.isRunning()).isFalse();
        assertThat(served.serves(a)).isFalse();
    }

    /**
     * Whether a message to the health-echo exchange with this routing key reaches a queue: published mandatory on a
     * channel in confirm mode, where the broker returns an unroutable message before it confirms it. A routable one is
     * an empty JSON object, which the worker drops (it names no source).
     */
    private boolean routable(String routingKey) {
        return rabbit.execute(channel -> {
            AtomicBoolean returned = new AtomicBoolean();
            ReturnListener listener = channel.addReturnListener(r -> returned.set(true));
            try {
                channel.confirmSelect();
                channel.basicPublish(
                        Topology.HEALTH_ECHO_EXCHANGE,
                        routingKey,
                        true,
                        new AMQP.BasicProperties(),
                        "{}".getBytes(StandardCharsets.UTF_8));
                channel.waitForConfirmsOrDie(10_000);
                return !returned.get();
            } finally {
                channel.removeReturnListener(listener);
            }
        });
    }

    /** A task whose deadline has passed: the worker answers TIMEOUT without asking any PACS. */
    private SourceTask expiredTask(long sourceId) {
        SourceEndpoint endpoint = new SourceEndpoint(
                sourceId,
                "s",
                "AE",
                "127.0.0.1",
                11112,
                "SPANNER",
                false,
                1,
                30,
                List.of(InformationModel.STUDY_ROOT),
                true);
        String queryId = "q-" + UUID.randomUUID();
        return new SourceTask(
                queryId,
                queryId + ":" + sourceId,
                endpoint,
                QueryLevel.STUDY,
                "{}",
                System.currentTimeMillis() - 1,
                replies,
                0);
    }

    private void publish(SourceTask task) {
        rabbit.convertAndSend(
                Topology.TASKS_EXCHANGE, Topology.taskRoutingKey(task.source().sourceId()), task);
    }

    private SourceOutcome outcomeOf(SourceTask task) {
        publish(task);
        Message m = rabbit.receive(replies, 30_000);
        assertThat(m).as("a result of the task within 30 s").isNotNull();
        m.getMessageProperties().setInferredArgumentType(SourceResult.class);
        SourceResult result = (SourceResult) converter.fromMessage(m);
        assertThat(result.taskId()).isEqualTo(task.taskId());
        return result.outcome();
    }
}
