package io.dicomspanner.listener.span;

import io.dicomspanner.common.messaging.SpanAnswer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Routes the coordinators' answers, which arrive on this instance's answer queue, to the C-FIND waiting for them (by
 * query id). Answers of a query nobody waits for any more (cancelled, timed out) are dropped.
 */
@Component
public class SpanAnswers {

    private static final Logger log = LoggerFactory.getLogger(SpanAnswers.class);

    private final SpanMessages messages;
    private final Map<String, Consumer<SpanAnswer>> waiting = new ConcurrentHashMap<>();

    SpanAnswers(SpanMessages messages) {
        this.messages = messages;
    }

    /** Sends the answers of this query to {@code consumer}, in the order they arrive, until {@link #forget}. */
    public void await(String queryId, Consumer<SpanAnswer> consumer) {
        waiting.put(queryId, consumer);
    }

    public void forget(String queryId) {
        waiting.remove(queryId);
    }

    /** Queries waiting for answers now. */
    public int waiting() {
        return waiting.size();
    }

    /**
     * One consumer, so the answers of a query are handled in the order the coordinator sent them. No acks: the queue
     * is this instance's alone and ends with it, so an unacked answer could go nowhere else.
     */
    @RabbitListener(queues = "#{spanAnswersQueue.name}", ackMode = "NONE")
    void onMessage(Message message) {
        SpanAnswer answer;
        try {
            answer = messages.readAnswer(message.getBody());
        } catch (RuntimeException e) {
            // Not acked, not requeued: a message that cannot be read now never will be.
            log.error("Unreadable span answer dropped: {}", e.toString());
            return;
        }
        Consumer<SpanAnswer> consumer = waiting.get(answer.queryId());
        if (consumer == null) {
            log.debug("Answer for query {} arrived after it ended; dropped", answer.queryId());
            return;
        }
        consumer.accept(answer);
    }
}
