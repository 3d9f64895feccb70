package io.dicomspanner.gateway.span;

import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.gateway.error.ServiceProblemException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageBuilderSupport;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Publishes a contract message and returns only once the broker has taken it: with publisher confirms and mandatory
 * routing, a full queue (reject-publish overflow) or a missing consumer queue becomes a 503 with Retry-After at once,
 * instead of a query that silently never starts.
 */
@Component
public class ConfirmedPublisher {

    private static final Logger log = LoggerFactory.getLogger(ConfirmedPublisher.class);

    private final RabbitTemplate rabbit;
    private final MessageJson messageJson;
    private final SpanProperties properties;

    public ConfirmedPublisher(RabbitTemplate rabbit, MessageJson messageJson, SpanProperties properties) {
        this.rabbit = rabbit;
        this.messageJson = messageJson;
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
        MessageBuilderSupport<Message> builder = MessageBuilder.withBody(messageJson.write(payload))
                .setContentType("application/json")
                .setContentEncoding("UTF-8")
                .setMessageId(id)
                .setHeader(Topology.HEADER_QUERY_ID, id)
                .setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
        if (ttl != null) {
            builder.setExpiration(Long.toString(Math.max(1, ttl.toMillis())));
        }
        Message message = builder.build();
        CorrelationData correlation = new CorrelationData(id);
        try {
            rabbit.send(exchange, routingKey, message, correlation);
            CorrelationData.Confirm confirm = correlation
                    .getFuture()
                    .get(properties.publishConfirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (correlation.getReturned() != null) {
                log.warn("Message {} unroutable: no queue bound to {} with key {}", id, exchange, routingKey);
                throw refused(unroutable);
            }
            if (!confirm.ack()) {
                log.warn("Message {} refused by the broker: {}", id, confirm.reason());
                throw refused("The spanner is overloaded: its request queue is full");
            }
        } catch (AmqpException e) {
            log.warn("Message {} not published: {}", id, e.toString());
            throw refused("The message broker is unreachable");
        } catch (TimeoutException e) {
            log.warn("Message {} not confirmed by the broker in time", id);
            throw refused("The message broker did not confirm the request in time");
        } catch (ExecutionException e) {
            log.warn("Message {} not confirmed: {}", id, e.getCause().toString());
            throw refused("The message broker did not confirm the request");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused("Interrupted while publishing the request");
        }
    }

    private ServiceProblemException refused(String detail) {
        return new ServiceProblemException(HttpStatus.SERVICE_UNAVAILABLE, detail, properties.overloadRetryAfter());
    }
}
