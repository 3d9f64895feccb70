package io.dicomspanner.coordinator.query;

import com.rabbitmq.client.Channel;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SpanRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/** The coordinator's two inputs: span requests (shared by every instance) and this instance's source results. */
@Component
class QueryListeners {
    private static final Logger log = LoggerFactory.getLogger(QueryListeners.class);

    private final QueryCoordinator coordinator;

    QueryListeners(QueryCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    /**
     * Manual ack: a request is acked only once its final answer is out ({@link RequestAck}), so a coordinator that dies
     * mid-query leaves it to another. A request that fails unexpectedly is dead-lettered rather than retried forever.
     */
    @RabbitListener(
            queues = "${spanner.coordinator.requests-queue}",
            concurrency = "${spanner.coordinator.request-concurrency}",
            ackMode = "MANUAL")
    void onSpanRequest(SpanRequest request, Message message, Channel channel) {
        RequestAck ack = new RequestAck(
                channel,
                message.getMessageProperties().getDeliveryTag(),
                request.queryId(),
                Boolean.TRUE.equals(message.getMessageProperties().getRedelivered()));
        try {
            coordinator.handle(request, ack);
        } catch (RuntimeException e) {
            log.error("span request {} failed; dead-lettered", request.queryId(), e);
            ack.rejected();
        }
    }

    /**
     * One consumer: batches of a query are merged in the order their worker published them. No acks: the queue is
     * this instance's alone and ends with it, so an unacked batch could go nowhere else.
     */
    @RabbitListener(queues = "#{resultsQueue.name}", ackMode = "NONE")
    void onSourceResult(SourceResult result) {
        coordinator.accept(result);
    }
}
