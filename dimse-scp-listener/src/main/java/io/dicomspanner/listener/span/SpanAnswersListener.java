package io.dicomspanner.listener.span;

import io.dicomspanner.common.span.SpanClient;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/** Feeds this instance's answer queue to the {@link SpanClient}, which routes each answer to its C-FIND. */
@Component
class SpanAnswersListener {

    private final SpanClient client;

    SpanAnswersListener(SpanClient client) {
        this.client = client;
    }

    /** One consumer and no acks, as the SpanClient expects. */
    @RabbitListener(queues = "#{spanAnswersQueue.name}", ackMode = "NONE")
    void onMessage(Message message) {
        client.onMessage(message);
    }
}
