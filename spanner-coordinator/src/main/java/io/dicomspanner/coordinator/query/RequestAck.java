package io.dicomspanner.coordinator.query;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acknowledgement of one span request, given once its final answer is out (sent to the entry's reply queue, or
 * for an async query written to Redis). Until then the request stays unacked on the broker: if this coordinator dies
 * before answering, RabbitMQ gives the request to another coordinator, which runs it afresh.
 */
final class RequestAck {
    private static final Logger log = LoggerFactory.getLogger(RequestAck.class);

    /** For requests not taken from the broker (tests, internal use): nothing to acknowledge. */
    static final RequestAck NONE = new RequestAck(null, 0, "", false);

    private final Channel channel;
    private final long deliveryTag;
    private final String queryId;
    private final boolean redelivered;
    private final AtomicBoolean done = new AtomicBoolean();

    RequestAck(Channel channel, long deliveryTag, String queryId, boolean redelivered) {
        this.channel = channel;
        this.deliveryTag = deliveryTag;
        this.queryId = queryId;
        this.redelivered = redelivered;
    }

    /** True if the broker delivered the request before (to a coordinator that did not answer it). */
    boolean redelivered() {
        return redelivered;
    }

    /** The answer is out: the broker may forget the request. Only the first call counts. */
    void answered() {
        settle(true);
    }

    /** The request cannot be handled at all: dead-lettered, not redelivered. Only the first call counts. */
    void rejected() {
        settle(false);
    }

    private void settle(boolean ack) {
        if (channel == null || !done.compareAndSet(false, true)) {
            return;
        }
        try {
            if (ack) {
                channel.basicAck(deliveryTag, false);
            } else {
                channel.basicReject(deliveryTag, false);
            }
        } catch (IOException | RuntimeException e) {
            // The channel closed since: the broker has requeued the request, so it will be answered again.
            log.warn(
                    "span request {} not {} ({}); it will be redelivered",
                    queryId,
                    ack ? "acked" : "rejected",
                    e.toString());
        }
    }
}
