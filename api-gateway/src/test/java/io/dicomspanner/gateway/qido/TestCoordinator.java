package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.gateway.span.SpanProperties;
import java.util.Properties;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Stands in for a spanner coordinator on the real RabbitMQ: owns the request queue the gateway publishes to (its name
 * is unique per test context, see application-test.yaml), takes the requests and answers them as a coordinator
 * would.
 */
final class TestCoordinator {

    private final RabbitAdmin admin;
    private final RabbitTemplate rabbit;
    private final SpanProperties properties;
    private final SealedCodec codec;

    TestCoordinator(RabbitAdmin admin, RabbitTemplate rabbit, SealedCodec codec, SpanProperties properties) {
        this.admin = admin;
        this.codec = codec;
        this.rabbit = rabbit;
        this.properties = properties;
    }

    String queueName() {
        return properties.requestsRoutingKey();
    }

    /**
     * A request queue as a coordinator declares it ({@link TopologyDeclarations}); {@code maxLength} 0 with its
     * reject-publish overflow refuses everything, null is the coordinator's default length.
     */
    void listen(Integer maxLength) {
        admin.declareExchange(TopologyDeclarations.requestsExchange(properties.requestsExchange()));
        admin.deleteQueue(queueName());
        admin.declareQueue(TopologyDeclarations.requestsQueue(queueName(), maxLength == null ? 10_000 : maxLength));
        admin.declareBinding(TopologyDeclarations.requestsBinding(properties.requestsExchange(), queueName()));
    }

    /** No coordinator at all: the request queue is gone. */
    void stopListening() {
        admin.deleteQueue(queueName());
    }

    void close() {
        admin.deleteQueue(queueName());
        admin.deleteExchange(properties.requestsExchange());
    }

    /** Requests published and not taken yet. */
    int waitingRequests() {
        Properties info = admin.getQueueProperties(queueName());
        assertThat(info).as("request queue exists").isNotNull();
        return ((Number) info.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).intValue();
    }

    /** The next request, waiting up to 20 s for it (basic.get, polled: a coordinator's consumer is not needed). */
    SpanRequest takeRequest() {
        long giveUp = System.nanoTime() + 20_000_000_000L;
        Message message = rabbit.receive(queueName());
        while (message == null && System.nanoTime() < giveUp) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            message = rabbit.receive(queueName());
        }
        assertThat(message).as("a span request was published").isNotNull();
        return codec.readMessage(message.getBody(), SpanRequest.class);
    }

    void answer(SpanRequest request, SpanAnswer answer) {
        rabbit.send(
                "",
                request.replyTo(),
                MessageBuilder.withBody(codec.sealMessage(answer))
                        .setContentType(SealedCodec.CONTENT_TYPE)
                        .build());
    }
}
