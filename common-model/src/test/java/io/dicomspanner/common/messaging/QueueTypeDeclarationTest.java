package io.dicomspanner.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The queue type setting against the machine's broker: a task queue is declared as the type asked, and a redeclaration
 * as the other type is refused with an exception that names the setting and the migration.
 */
class QueueTypeDeclarationTest {

    private final long sourceId = 900_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);
    private CachingConnectionFactory connections;
    private RabbitAdmin admin;

    @BeforeEach
    void broker() {
        connections = new CachingConnectionFactory("127.0.0.1", 5672);
        admin = new RabbitAdmin(connections);
        admin.declareExchange(TopologyDeclarations.tasksExchange());
    }

    @AfterEach
    void cleanUp() {
        admin.deleteQueue(Topology.taskQueue(sourceId));
        connections.destroy();
    }

    @Test
    void parsesBothTypesAndRefusesOthers() {
        assertThat(QueueType.parse("classic")).isEqualTo(QueueType.CLASSIC);
        assertThat(QueueType.parse(" Quorum ")).isEqualTo(QueueType.QUORUM);
        assertThatThrownBy(() -> QueueType.parse("stream"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spanner.messaging.queue-type must be 'classic' or 'quorum', not 'stream'");
    }

    @Test
    void aQuorumTaskQueueKeepsItsDeadLetterExchange() {
        assertThat(TopologyDeclarations.taskQueue(sourceId, QueueType.QUORUM).getArguments())
                .containsEntry("x-queue-type", "quorum")
                .containsEntry("x-dead-letter-exchange", Topology.DEAD_LETTER_EXCHANGE);
        assertThat(TopologyDeclarations.requestsQueue("q", 10, QueueType.QUORUM).getArguments())
                .containsEntry("x-queue-type", "quorum")
                .containsEntry("x-max-length", 10L)
                .containsEntry("x-overflow", "reject-publish");
        assertThat(TopologyDeclarations.taskQueue(sourceId).getArguments()).doesNotContainKey("x-queue-type");
    }

    @Test
    void redeclaringAsTheOtherTypeIsRefusedWithAnExplanation() {
        TopologyDeclarations.declareTaskQueue(admin, sourceId, QueueType.CLASSIC);
        QueueInformation declared = admin.getQueueInfo(Topology.taskQueue(sourceId));
        assertThat(declared).isNotNull();

        assertThatThrownBy(() -> TopologyDeclarations.declareTaskQueue(admin, sourceId, QueueType.QUORUM))
                .isInstanceOf(AmqpException.class)
                .hasMessageStartingWith("A durable queue exists on the broker with another type than"
                        + " spanner.messaging.queue-type=quorum asks for (env SPANNER_MESSAGING_QUEUETYPE)")
                .hasMessageContaining("rabbitmqctl delete_queue")
                .hasMessageContaining("new virtual host")
                .hasMessageContaining("PRECONDITION_FAILED");
    }
}
