package io.dicomspanner.common.span;

import io.dicomspanner.common.messaging.CancelQuery;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.seal.SealRejectedException;
import io.dicomspanner.common.seal.SealedCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;

/**
 * An entry point's side of the conversation with the coordinators: span requests out (confirmed by the broker),
 * cancellations out, and the answers, which arrive on this instance's answer queue, routed by query id to whoever
 * waits for them: each answer as it arrives ({@link #await}, the DIMSE listener's pending responses), or the final
 * answer with the matches of every answer message ({@link #collect}, the gateway's QIDO-RS answer). No thread waits
 * for an answer. Answers of a query nobody waits for any more (given up, cancelled) are dropped.
 *
 * <p>The entry point feeds its answer queue to {@link #onMessage} with one consumer, and without acks: the queue is this
 * instance's alone and ends with it, so an unacked answer could go nowhere else. The broker keeps the order of the
 * messages of one channel only, and a coordinator may send the answers of one query on different channels; so a last
 * answer that arrives before some of the streamed answers sent before it ({@link SpanAnswer#streamedBefore}) is held
 * until they arrive, or until the query is given up.
 */
public final class SpanClient implements MessageListener {

    private static final Logger log = LoggerFactory.getLogger(SpanClient.class);

    /**
     * Where span requests go and how long an entry waits for their answers.
     *
     * @param requestsExchange exchange span requests are published to ({@link Topology#REQUESTS_EXCHANGE})
     * @param requestsRoutingKey their routing key: the coordinators' request queue ({@link Topology#REQUESTS_QUEUE})
     * @param instanceId names this instance's answer queue, {@code spanner.answers.<instance id>}
     * @param deadlineMargin added to a config's timeout: time for the coordinator to merge and answer after it
     * @param maxWait the longest a query is waited for, whatever its config's timeout
     */
    public record Settings(
            String requestsExchange,
            String requestsRoutingKey,
            String instanceId,
            Duration deadlineMargin,
            Duration maxWait) {}

    private final BrokerPublisher publisher;
    private final Settings settings;
    private final SealedCodec codec;
    private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();

    /** @param codec opens the answers, sealed like every message between the services */
    public SpanClient(BrokerPublisher publisher, SealedCodec codec, Settings settings) {
        this.publisher = publisher;
        this.codec = codec;
        this.settings = settings;
    }

    /** A new query id (UUID text). */
    public static String newQueryId() {
        return UUID.randomUUID().toString();
    }

    /** This instance's answer queue: {@code spanner.answers.<instance id>}. */
    public String answersQueue() {
        return Topology.ANSWERS_QUEUE_PREFIX + settings.instanceId();
    }

    /** How long a query of a config with this timeout is waited for: the timeout plus the margin, at most max-wait. */
    public Duration waitFor(int configTimeoutSeconds) {
        Duration wait = Duration.ofSeconds(configTimeoutSeconds).plus(settings.deadlineMargin());
        return wait.compareTo(settings.maxWait()) > 0 ? settings.maxWait() : wait;
    }

    /**
     * Publishes a span request; see {@link BrokerPublisher#publish}. A request no coordinator took before its deadline
     * is worth nothing: it expires on the broker after {@code ttl}. {@link PublishRefusedException.Reason#UNROUTABLE}
     * means that no coordinator is listening for span requests.
     */
    public CompletableFuture<Void> publish(SpanRequest request, Duration ttl) {
        return publisher.publish(
                settings.requestsExchange(), settings.requestsRoutingKey(), request, request.queryId(), ttl);
    }

    /**
     * Sends the answers of this query to {@code consumer}, in the order they arrive, until {@link #forget}. Called
     * before the request is published, so that no answer can come first.
     */
    public void await(String queryId, Consumer<SpanAnswer> consumer) {
        waiting.put(queryId, new Waiter(consumer));
    }

    /** No more answers of this query are wanted. */
    public void forget(String queryId) {
        waiting.remove(queryId);
    }

    /** Queries waiting for answers now. */
    public int waiting() {
        return waiting.size();
    }

    /**
     * The future of this query's final answer, which holds the matches of every answer message of the query in the
     * order they arrived. The query is forgotten once the future completes, whichever way: give it up with {@link
     * CompletableFuture#orTimeout} or {@link CompletableFuture#cancel}. Called before the request is published.
     */
    public CompletableFuture<SpanAnswer> collect(String queryId) {
        Collector collector = new Collector();
        await(queryId, collector);
        collector.future.whenComplete((answer, failure) -> forget(queryId));
        return collector.future;
    }

    /** Tells every worker to stop the query's tasks (C-CANCEL from the SCU, or the SCU went away); not confirmed. */
    public void cancel(String queryId) {
        publisher.publishUnconfirmed(Topology.CANCEL_EXCHANGE, "", new CancelQuery(queryId), queryId);
    }

    /** An answer message from a coordinator. */
    @Override
    public void onMessage(Message message) {
        SpanAnswer answer;
        try {
            answer = codec.readMessage(message.getBody(), SpanAnswer.class);
        } catch (SealRejectedException e) {
            // Counted by the codec; like an unreadable one, never redelivered.
            log.error(
                    "Span answer on {} that does not open dropped ({})",
                    answersQueue(),
                    e.reason().tag());
            return;
        } catch (RuntimeException e) {
            // Not redelivered (no acks on this queue): a message that cannot be read now never will be.
            log.error("Unreadable span answer on {} dropped: {}", answersQueue(), e.toString());
            return;
        }
        Waiter waiter = waiting.get(answer.queryId());
        if (waiter == null) {
            log.info("Answer for query {} arrived after it was given up; dropped", answer.queryId());
            return;
        }
        waiter.arrived(answer);
    }

    /** Hands one query's answers to its consumer: every streamed answer before the last one. */
    private static final class Waiter {
        private final Consumer<SpanAnswer> consumer;
        private int streamed;
        private SpanAnswer heldLast;

        Waiter(Consumer<SpanAnswer> consumer) {
            this.consumer = consumer;
        }

        synchronized void arrived(SpanAnswer answer) {
            if (answer.last()) {
                if (streamed < answer.streamedBefore()) {
                    heldLast = answer;
                    return;
                }
                consumer.accept(answer);
                return;
            }
            streamed++;
            consumer.accept(answer);
            if (heldLast != null && streamed >= heldLast.streamedBefore()) {
                SpanAnswer last = heldLast;
                heldLast = null;
                consumer.accept(last);
            }
        }
    }

    /** Collects the matches of every answer message of one query until the last one. */
    private static final class Collector implements Consumer<SpanAnswer> {
        private final CompletableFuture<SpanAnswer> future = new CompletableFuture<>();
        private final List<byte[]> matches = new ArrayList<>();

        @Override
        public synchronized void accept(SpanAnswer answer) {
            if (answer.matches() != null) {
                matches.addAll(answer.matches());
            }
            if (answer.last()) {
                future.complete(new SpanAnswer(
                        answer.queryId(),
                        List.copyOf(matches),
                        true,
                        answer.state(),
                        answer.failures() == null ? List.of() : answer.failures(),
                        answer.totalMatches(),
                        answer.remaining(),
                        answer.fromCache(),
                        answer.notes()));
            }
        }
    }
}
