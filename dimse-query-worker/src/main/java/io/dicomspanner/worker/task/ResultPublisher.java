package io.dicomspanner.worker.task;

import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.worker.WorkerProperties;
import java.time.Duration;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes result batches to the coordinator's reply queue and waits for the broker's confirm of each, so a task is
 * acked only once every batch is safely with RabbitMQ (requires {@code spring.rabbitmq.publisher-confirm-type: simple}).
 */
@Component
public class ResultPublisher {

    private final RabbitTemplate rabbit;
    private final Duration confirmTimeout;

    public ResultPublisher(RabbitTemplate rabbit, WorkerProperties properties) {
        this.rabbit = rabbit;
        this.confirmTimeout = properties.publishConfirmTimeout();
    }

    /**
     * @throws org.springframework.amqp.AmqpException if the broker did not confirm (nacked, timed out, connection lost)
     */
    public void publish(String replyTo, SourceResult result) {
        rabbit.invoke(ops -> {
            ops.convertAndSend("", replyTo, result, message -> {
                message.getMessageProperties().setHeader(Topology.HEADER_QUERY_ID, result.queryId());
                message.getMessageProperties().setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
                return message;
            });
            ops.waitForConfirmsOrDie(confirmTimeout.toMillis());
            return null;
        });
    }
}
