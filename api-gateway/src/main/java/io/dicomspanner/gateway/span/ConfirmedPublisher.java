package io.dicomspanner.gateway.span;

import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.span.BrokerPublisher;
import io.dicomspanner.common.span.PublishRefusedException;
import io.dicomspanner.gateway.error.ServiceProblemException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Publishes a contract message and returns only once the broker has taken it ({@link BrokerPublisher}): a full queue
 * (reject-publish overflow), a missing consumer queue or an unreachable broker becomes a 503 with Retry-After at once,
 * instead of a query that silently never starts.
 */
@Component
public class ConfirmedPublisher {

    private final BrokerPublisher broker;
    private final SpanProperties properties;

    public ConfirmedPublisher(BrokerPublisher broker, SpanProperties properties) {
        this.broker = broker;
        this.properties = properties;
    }

    /**
     * @param id the query (or request) id: message id, {@link Topology#HEADER_QUERY_ID} and log key
     * @param ttl the message expires unconsumed after this long (null: never)
     * @param unroutable what the 503 says when no queue is bound for the routing key
     * @throws ServiceProblemException 503 when the broker refuses, cannot route or cannot be reached
     */
    public void publish(
            String exchange, String routingKey, Object payload, String id, Duration ttl, String unroutable) {
        awaitConfirm(broker.publish(exchange, routingKey, payload, id, ttl), unroutable);
    }

    /**
     * Waits for the broker's confirm of a message published through {@link BrokerPublisher}.
     *
     * @param unroutable what the 503 says when no queue is bound for the message's routing key
     * @throws ServiceProblemException 503 when the broker refuses, cannot route or cannot be reached
     */
    public void awaitConfirm(CompletableFuture<Void> published, String unroutable) {
        try {
            BrokerPublisher.awaitConfirm(published);
        } catch (PublishRefusedException e) {
            throw new ServiceProblemException(
                    HttpStatus.SERVICE_UNAVAILABLE, detail(e.reason(), unroutable), properties.overloadRetryAfter());
        }
    }

    private static String detail(PublishRefusedException.Reason reason, String unroutable) {
        return switch (reason) {
            case QUEUE_FULL -> "The spanner is overloaded: its request queue is full";
            case UNROUTABLE -> unroutable;
            case NOT_CONFIRMED_IN_TIME -> "The message broker did not confirm the request in time";
            case NOT_CONFIRMED -> "The message broker did not confirm the request";
            case BROKER_UNREACHABLE -> "The message broker is unreachable";
            case INTERRUPTED -> "Interrupted while publishing the request";
        };
    }
}
