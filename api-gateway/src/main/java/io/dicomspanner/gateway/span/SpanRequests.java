package io.dicomspanner.gateway.span;

import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.span.SpanClient;
import io.dicomspanner.gateway.error.ServiceProblemException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * The gateway's span requests: QIDO-RS queries handed to the coordinators through the {@link SpanClient}, either
 * answered here (the final answer, on this instance's answer queue) or asynchronously (status and results in Redis
 * only). A request the broker does not take is a 503 with Retry-After at once.
 */
@Component
public class SpanRequests {

    private static final String NO_COORDINATOR = "No coordinator is listening for span requests";

    private final SpanClient client;
    private final ConfirmedPublisher publisher;
    private final SpanProperties properties;
    private final Clock clock;

    public SpanRequests(SpanClient client, ConfirmedPublisher publisher, SpanProperties properties, Clock clock) {
        this.client = client;
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * How long a query of a config with this timeout is waited for: the timeout plus {@code deadline-margin}, at most
     * {@code max-wait}.
     */
    public Duration waitFor(int configTimeoutSeconds) {
        return client.waitFor(configTimeoutSeconds);
    }

    /** The span request of a synchronous query: answered on this instance's answer queue, due {@code wait} from now. */
    public SpanRequest syncRequest(String queryId, SpanQuery query, String caller, Duration wait) {
        return request(
                queryId, query, caller, client.answersQueue(), clock.instant().toEpochMilli() + wait.toMillis());
    }

    /**
     * Publishes a {@link #syncRequest} and returns the future of its final answer, given up with a {@link
     * TimeoutException} after {@code wait}.
     *
     * @throws ServiceProblemException 503 when the broker did not take the request
     */
    public CompletableFuture<SpanAnswer> span(SpanRequest request, Duration wait) {
        CompletableFuture<SpanAnswer> answer = client.collect(request.queryId());
        try {
            publisher.awaitConfirm(client.publish(request, wait), NO_COORDINATOR);
        } catch (RuntimeException e) {
            answer.cancel(false);
            throw e;
        }
        return answer.orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Publishes an asynchronous query: its status and results go to Redis only.
     *
     * @throws ServiceProblemException 503 when the broker did not take the request
     */
    public void spanAsync(String queryId, SpanQuery query, String caller, Duration wait) {
        long deadline = clock.instant().toEpochMilli() + wait.toMillis();
        publisher.awaitConfirm(client.publish(request(queryId, query, caller, null, deadline), wait), NO_COORDINATOR);
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
}
