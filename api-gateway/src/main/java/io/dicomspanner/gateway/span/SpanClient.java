package io.dicomspanner.gateway.span;

import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.SpanQuery;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.stereotype.Component;

/**
 * This gateway's side of the request/reply conversation with the coordinators: publishes a {@link SpanRequest} and
 * completes the caller's future with the final {@link SpanAnswer}, which arrives on this instance's answer queue
 * (correlated by query id). No thread waits for an answer; a query that gets none is completed with a
 * {@link TimeoutException} at its deadline.
 */
@Component
public class SpanClient implements MessageListener {

    private static final Logger log = LoggerFactory.getLogger(SpanClient.class);

    private final ConfirmedPublisher publisher;
    private final MessageJson messageJson;
    private final SpanProperties properties;
    private final Clock clock;
    private final Map<String, PendingAnswer> pending = new ConcurrentHashMap<>();

    public SpanClient(ConfirmedPublisher publisher, MessageJson messageJson, SpanProperties properties, Clock clock) {
        this.publisher = publisher;
        this.messageJson = messageJson;
        this.properties = properties;
        this.clock = clock;
    }

    /** This instance's answer queue: {@code spanner.answers.<instance id>}. */
    public String answersQueue() {
        return Topology.ANSWERS_QUEUE_PREFIX + properties.instanceId();
    }

    /** A new query id (UUID text). */
    public static String newQueryId() {
        return UUID.randomUUID().toString();
    }

    /**
     * How long a query of a config with this timeout is waited for: the timeout plus {@code deadline-margin}, at most
     * {@code max-wait}.
     */
    public Duration waitFor(int configTimeoutSeconds) {
        Duration wait = Duration.ofSeconds(configTimeoutSeconds).plus(properties.deadlineMargin());
        return wait.compareTo(properties.maxWait()) > 0 ? properties.maxWait() : wait;
    }

    /** The span request of a synchronous query: answered on this instance's answer queue, due {@code wait} from now. */
    public SpanRequest syncRequest(String queryId, SpanQuery query, String caller, Duration wait) {
        return request(queryId, query, caller, answersQueue(), clock.instant().toEpochMilli() + wait.toMillis());
    }

    /** Publishes a {@link #syncRequest} and returns the future of its final answer, given up after {@code wait}. */
    public CompletableFuture<SpanAnswer> span(SpanRequest request, Duration wait) {
        PendingAnswer answer = new PendingAnswer();
        String queryId = request.queryId();
        pending.put(queryId, answer);
        answer.future.whenComplete((result, failure) -> pending.remove(queryId));
        try {
            publish(request, wait);
        } catch (RuntimeException e) {
            answer.future.cancel(false);
            throw e;
        }
        answer.future.orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS);
        return answer.future;
    }

    /** Publishes an asynchronous query: its status and results go to Redis only. */
    public void spanAsync(String queryId, SpanQuery query, String caller, Duration wait) {
        long deadline = clock.instant().toEpochMilli() + wait.toMillis();
        publish(request(queryId, query, caller, null, deadline), wait);
    }

    private SpanRequest request(String queryId, SpanQuery query, String caller, String replyTo, long deadline) {
        return new SpanRequest(
                queryId, query, EntryPoint.QIDO, caller, replyTo, false, deadline, retrieveBaseUrl(query.configId()));
    }

    /**
     * The config's DICOMweb service as clients reach it ({@code <dicomweb-base-url>/<config id>}), under which the
     * coordinator builds Retrieve URLs; null without a {@code dicomweb-base-url}.
     */
    public String retrieveBaseUrl(long configId) {
        String base = properties.dicomwebBaseUrl();
        if (base == null || base.isBlank()) {
            return null;
        }
        base = base.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/" + configId;
    }

    private void publish(SpanRequest request, Duration wait) {
        // A request no coordinator took before its deadline is worth nothing: it expires on the broker.
        publisher.publish(
                properties.requestsExchange(),
                properties.requestsRoutingKey(),
                request,
                request.queryId(),
                wait,
                "No coordinator is listening for span requests");
    }

    /** An answer message from a coordinator. */
    @Override
    public void onMessage(Message message) {
        SpanAnswer answer;
        try {
            answer = messageJson.read(message.getBody(), SpanAnswer.class);
        } catch (RuntimeException e) {
            // Not redelivered (no acks on this queue): a message that cannot be read now never will be.
            log.error("Unreadable span answer on {} dropped: {}", answersQueue(), e.toString());
            return;
        }
        PendingAnswer waiting = pending.get(answer.queryId());
        if (waiting == null) {
            log.info("Answer for query {} arrived after it was given up; dropped", answer.queryId());
            return;
        }
        waiting.accept(answer);
    }

    /** Collects the matches of every answer message of one query until the last one. */
    private static final class PendingAnswer {
        private final CompletableFuture<SpanAnswer> future = new CompletableFuture<>();
        private final List<byte[]> matches = new ArrayList<>();

        synchronized void accept(SpanAnswer answer) {
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
                        answer.fromCache()));
            }
        }
    }
}
