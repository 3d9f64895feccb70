package io.dicomspanner.common.span;

import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.span.PublishRefusedException.Reason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
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

/**
 * Publishes the entry points' messages and tells when the broker has taken them: with publisher confirms and mandatory
 * routing, a full queue (reject-publish overflow), a routing key no queue is bound to, or a broker that does not
 * answer is known at once as a {@link PublishRefusedException}, instead of a query that silently never starts.
 *
 * <p>Every message is the {@link MessageCodec} JSON of a record, sealed ({@link SealedCodec}), not persistent (an
 * entry point's caller waits for it; after a broker restart nobody does), with its id as message id and {@link
 * Topology#HEADER_QUERY_ID}.
 */
public final class BrokerPublisher {

    private static final Logger log = LoggerFactory.getLogger(BrokerPublisher.class);

    private final RabbitTemplate rabbit;
    private final Duration confirmTimeout;
    private final Executor sender;
    private final SealedCodec codec;

    /**
     * @param rabbit a template whose connection factory has correlated publisher confirms and returns
     *     ({@code spring.rabbitmq.publisher-confirm-type: correlated}, {@code publisher-returns: true}); it is made
     *     mandatory here, and its returns are reported through each message's {@link CorrelationData}
     * @param codec seals every body
     * @param confirmTimeout how long the broker may take to confirm a message before it counts as refused
     * @param sender runs the sends: {@code Runnable::run} sends on the caller's thread; a pool keeps callers that must
     *     not block (event loops) off the broker
     */
    public BrokerPublisher(RabbitTemplate rabbit, SealedCodec codec, Duration confirmTimeout, Executor sender) {
        this.rabbit = rabbit;
        this.codec = codec;
        this.confirmTimeout = confirmTimeout;
        this.sender = sender;
        rabbit.setMandatory(true);
        rabbit.setReturnsCallback(returned -> {});
    }

    /**
     * Publishes {@code payload} and returns the future of the broker's confirm: completed once the broker took the
     * message, exceptionally with a {@link PublishRefusedException} when it refused it, could not route it, did not
     * confirm it in time or could not be reached.
     *
     * @param id the query (or request) id: message id, {@link Topology#HEADER_QUERY_ID} and log key
     * @param ttl the message expires unconsumed after this long (null: never)
     */
    public CompletableFuture<Void> publish(
            String exchange, String routingKey, Object payload, String id, Duration ttl) {
        Message message = message(payload, id, id, ttl);
        return CompletableFuture.supplyAsync(() -> send(exchange, routingKey, message, id), sender)
                .thenCompose(correlation -> correlation
                        .getFuture()
                        .orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .handle((confirm, failure) -> {
                            if (failure instanceof TimeoutException) {
                                log.warn("Message {} not confirmed by the broker in time", id);
                                throw new PublishRefusedException(
                                        Reason.NOT_CONFIRMED_IN_TIME, "the broker did not confirm the message in time");
                            }
                            if (failure != null) {
                                log.warn("Message {} not confirmed: {}", id, failure.toString());
                                throw new PublishRefusedException(
                                        Reason.NOT_CONFIRMED, "the broker did not confirm the message");
                            }
                            if (correlation.getReturned() != null) {
                                log.warn(
                                        "Message {} unroutable: no queue bound to {} with key {}",
                                        id,
                                        exchange,
                                        routingKey);
                                throw new PublishRefusedException(
                                        Reason.UNROUTABLE, "no queue is bound to " + exchange + " with " + routingKey);
                            }
                            if (!confirm.ack()) {
                                log.warn("Message {} refused by the broker: {}", id, confirm.reason());
                                throw new PublishRefusedException(Reason.QUEUE_FULL, "the broker refused the message");
                            }
                            return null;
                        }));
    }

    /**
     * Waits for a {@link #publish} to be confirmed, for callers that answer only after it.
     *
     * @throws PublishRefusedException when the broker did not take the message, or the wait was interrupted
     */
    public static void awaitConfirm(CompletableFuture<Void> published) {
        try {
            published.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PublishRefusedException refused) {
                throw refused;
            }
            throw new PublishRefusedException(Reason.NOT_CONFIRMED, "the broker did not confirm the message");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishRefusedException(Reason.INTERRUPTED, "interrupted while waiting for the broker");
        }
    }

    /**
     * Publishes {@code payload} without waiting for the broker, for messages whose loss costs only work (a
     * cancellation: the tasks end at their deadline anyway); a failure is logged.
     *
     * @param queryId the query the message is about: {@link Topology#HEADER_QUERY_ID}
     */
    public void publishUnconfirmed(String exchange, String routingKey, Object payload, String queryId) {
        Message message = message(payload, null, queryId, null);
        sender.execute(() -> {
            try {
                rabbit.send(exchange, routingKey, message);
            } catch (AmqpException e) {
                log.warn("Message of query {} to {} not published: {}", queryId, exchange, e.toString());
            }
        });
    }

    private Message message(Object payload, String messageId, String queryId, Duration ttl) {
        MessageBuilderSupport<Message> builder =
                MessageBuilder.withBody(codec.sealMessage(payload)).setContentType(SealedCodec.CONTENT_TYPE);
        if (messageId != null) {
            builder.setMessageId(messageId);
        }
        builder.setHeader(Topology.HEADER_QUERY_ID, queryId).setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
        if (ttl != null) {
            builder.setExpiration(Long.toString(Math.max(1, ttl.toMillis())));
        }
        return builder.build();
    }

    private CorrelationData send(String exchange, String routingKey, Message message, String id) {
        CorrelationData correlation = new CorrelationData(id);
        try {
            rabbit.send(exchange, routingKey, message, correlation);
        } catch (AmqpException e) {
            log.warn("Message {} not published: {}", id, e.toString());
            throw new PublishRefusedException(Reason.BROKER_UNREACHABLE, "the broker is unreachable");
        }
        return correlation;
    }
}
