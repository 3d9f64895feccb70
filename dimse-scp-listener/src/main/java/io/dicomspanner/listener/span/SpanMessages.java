package io.dicomspanner.listener.span;

import io.dicomspanner.common.messaging.CancelQuery;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.listener.ListenerProperties;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The listener's side of the conversation with the coordinators: span requests out (with publisher confirms, so a full
 * request queue or a missing coordinator is known at once), cancellations out, and the JSON of answers in. The JSON is
 * the record component names, as the coordinator's message converter writes them.
 */
@Component
public class SpanMessages {

    private static final Logger log = LoggerFactory.getLogger(SpanMessages.class);

    private final RabbitTemplate rabbit;
    private final JsonMapper json;
    private final ListenerProperties.Span properties;
    private final ExecutorService publishers;

    SpanMessages(
            RabbitTemplate rabbit, JsonMapper json, ListenerProperties properties, ExecutorService spanPublishers) {
        this.rabbit = rabbit;
        // With a returns callback, an unroutable (mandatory) request is reported through its CorrelationData.
        rabbit.setReturnsCallback(returned -> {});
        // Contracts grow additively: a field this listener does not know yet is skipped, not an error.
        this.json = json.rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        this.properties = properties.span();
        this.publishers = spanPublishers;
    }

    /** This instance's answer queue: {@code spanner.answers.<instance id>}. */
    public String answersQueue() {
        return answersQueue(properties.instanceId());
    }

    static String answersQueue(String instanceId) {
        return Topology.ANSWERS_QUEUE_PREFIX + instanceId;
    }

    /**
     * Publishes a span request off the caller's thread. The future completes once the broker confirmed it, or
     * exceptionally with a {@link SpanRefusedException} when the broker refused it (request queue full), could not
     * route it (no coordinator), or did not answer in time.
     *
     * @param ttl the request expires on the broker if no coordinator took it by then
     */
    public CompletableFuture<Void> publish(SpanRequest request, Duration ttl) {
        return CompletableFuture.supplyAsync(() -> send(request, ttl), publishers)
                .thenCompose(correlation -> correlation
                        .getFuture()
                        .orTimeout(properties.publishConfirmTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .handle((confirm, failure) -> {
                            if (failure != null) {
                                log.warn("Span request {} not confirmed: {}", request.queryId(), failure.toString());
                                throw new SpanRefusedException("the message broker did not confirm the request");
                            }
                            if (correlation.getReturned() != null) {
                                log.warn("Span request {} unroutable: no coordinator queue", request.queryId());
                                throw new SpanRefusedException("no coordinator is listening for span requests");
                            }
                            if (!confirm.ack()) {
                                log.warn(
                                        "Span request {} refused by the broker: {}",
                                        request.queryId(),
                                        confirm.reason());
                                throw new SpanRefusedException("the spanner is overloaded: its request queue is full");
                            }
                            return null;
                        }));
    }

    private CorrelationData send(SpanRequest request, Duration ttl) {
        Message message = MessageBuilder.withBody(json.writeValueAsBytes(request))
                .setContentType("application/json")
                .setContentEncoding("UTF-8")
                .setMessageId(request.queryId())
                .setHeader(Topology.HEADER_QUERY_ID, request.queryId())
                .setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT)
                .setExpiration(Long.toString(Math.max(1, ttl.toMillis())))
                .build();
        CorrelationData correlation = new CorrelationData(request.queryId());
        try {
            rabbit.send(properties.requestsExchange(), properties.requestsRoutingKey(), message, correlation);
        } catch (AmqpException e) {
            log.warn("Span request {} not published: {}", request.queryId(), e.toString());
            throw new SpanRefusedException("the message broker is unreachable");
        }
        return correlation;
    }

    /** Tells every worker to stop the query's C-FINDs (C-CANCEL from the SCU, or the SCU went away). */
    public void cancel(String queryId) {
        Message message = MessageBuilder.withBody(json.writeValueAsBytes(new CancelQuery(queryId)))
                .setContentType("application/json")
                .setContentEncoding("UTF-8")
                .setHeader(Topology.HEADER_QUERY_ID, queryId)
                .setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT)
                .build();
        publishers.execute(() -> {
            try {
                rabbit.send(Topology.CANCEL_EXCHANGE, "", message);
            } catch (AmqpException e) {
                log.warn("Cancellation of query {} not published: {}", queryId, e.toString());
            }
        });
    }

    SpanAnswer readAnswer(byte[] body) {
        return json.readValue(body, SpanAnswer.class);
    }
}
