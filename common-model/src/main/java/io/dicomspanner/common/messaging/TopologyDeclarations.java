package io.dicomspanner.common.messaging;

import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.seal.SealedMessageConverter;
import java.util.Map;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;

/**
 * The declarations of the {@link Topology} names, the one place that states their types and arguments. RabbitMQ refuses
 * a redeclaration with other arguments, so every service and every test declares what it uses through these factories
 * (and so any of them may start first). Needs spring-amqp, which this module has as an optional dependency: every
 * service that declares the topology has it already.
 */
public final class TopologyDeclarations {

    private TopologyDeclarations() {}

    /** Dead-lettered messages keep their routing key (a source id, the requests queue), so the DLX fans out. */
    public static FanoutExchange deadLetterExchange() {
        return new FanoutExchange(Topology.DEAD_LETTER_EXCHANGE, true, false);
    }

    public static Queue deadLetterQueue() {
        return deadLetterQueue(QueueType.CLASSIC);
    }

    /** The dead-letter queue as the given type. */
    public static Queue deadLetterQueue(QueueType type) {
        return typed(QueueBuilder.durable(Topology.DEAD_LETTER_QUEUE), type).build();
    }

    public static Binding deadLetterBinding() {
        return new Binding(
                Topology.DEAD_LETTER_QUEUE, Binding.DestinationType.QUEUE, Topology.DEAD_LETTER_EXCHANGE, "", null);
    }

    /** Span requests from the entry points (routing key = the requests queue's name). */
    public static DirectExchange requestsExchange() {
        return requestsExchange(Topology.REQUESTS_EXCHANGE);
    }

    /** The requests exchange under another name (tests of one module beside another's on one broker). */
    public static DirectExchange requestsExchange(String name) {
        return new DirectExchange(name, true, false);
    }

    /**
     * The span request queue, bounded so that overload is refused at the entry (reject-publish) rather than after a
     * long wait; a request that fails unexpectedly is dead-lettered.
     */
    public static Queue requestsQueue(String name, int maxLength) {
        return requestsQueue(name, maxLength, QueueType.CLASSIC);
    }

    /**
     * The span request queue as the given type. Both types keep {@code x-max-length} with {@code x-overflow
     * reject-publish} and the dead-letter exchange, so overload and dead-lettering behave alike.
     */
    public static Queue requestsQueue(String name, int maxLength, QueueType type) {
        return typed(QueueBuilder.durable(name), type)
                .maxLength(maxLength)
                .overflow(QueueBuilder.Overflow.rejectPublish)
                .deadLetterExchange(Topology.DEAD_LETTER_EXCHANGE)
                .build();
    }

    /** Entry points publish span requests to the exchange with the queue's name as routing key. */
    public static Binding requestsBinding(String exchange, String queue) {
        return new Binding(queue, Binding.DestinationType.QUEUE, exchange, queue, null);
    }

    /** Tasks, routing key = source id. */
    public static DirectExchange tasksExchange() {
        return new DirectExchange(Topology.TASKS_EXCHANGE, true, false);
    }

    /** {@link CancelQuery} to every worker. */
    public static FanoutExchange cancelExchange() {
        return new FanoutExchange(Topology.CANCEL_EXCHANGE, true, false);
    }

    /** {@link EchoRequest}s, routing key = source id. */
    public static DirectExchange healthEchoExchange() {
        return healthEchoExchange(Topology.HEALTH_ECHO_EXCHANGE);
    }

    /** The health echo exchange under another name (tests). */
    public static DirectExchange healthEchoExchange(String name) {
        return new DirectExchange(name, true, false);
    }

    /** The task queue of one source: durable, so tasks survive a worker fleet's restart; expired ones are dead-lettered. */
    public static Queue taskQueue(long sourceId) {
        return taskQueue(sourceId, QueueType.CLASSIC);
    }

    /**
     * The task queue of one source as the given type. Tasks carry a per-message TTL, which quorum queues honour from
     * RabbitMQ 3.10 on; an expired task is dead-lettered in both types.
     */
    public static Queue taskQueue(long sourceId, QueueType type) {
        return typed(QueueBuilder.durable(Topology.taskQueue(sourceId)), type)
                .deadLetterExchange(Topology.DEAD_LETTER_EXCHANGE)
                .build();
    }

    public static Binding taskBinding(long sourceId) {
        return new Binding(
                Topology.taskQueue(sourceId),
                Binding.DestinationType.QUEUE,
                Topology.TASKS_EXCHANGE,
                Topology.taskRoutingKey(sourceId),
                null);
    }

    /** Declares a source's task queue and its binding (idempotent); the tasks exchange must exist. */
    public static void declareTaskQueue(AmqpAdmin admin, long sourceId) {
        declareTaskQueue(admin, sourceId, QueueType.CLASSIC);
    }

    /**
     * Declares a source's task queue of the given type and its binding (idempotent); the tasks exchange must exist. A
     * queue of that name already declared as the other type is refused by the broker; the exception then says so
     * ({@link #explainTypeMismatch}).
     */
    public static void declareTaskQueue(AmqpAdmin admin, long sourceId, QueueType type) {
        try {
            admin.declareQueue(taskQueue(sourceId, type));
        } catch (AmqpException e) {
            throw explainTypeMismatch(e, type);
        }
        admin.declareBinding(taskBinding(sourceId));
    }

    /**
     * If a declaration failed because the queue exists with another {@code x-queue-type} (PRECONDITION_FAILED), an
     * exception whose message names the setting and the way out; otherwise the failure itself.
     */
    public static AmqpException explainTypeMismatch(AmqpException failure, QueueType wanted) {
        String explanation = typeMismatchExplanation(failure, wanted);
        return explanation == null ? failure : new AmqpException(explanation, failure);
    }

    /**
     * The explanation of a queue type mismatch in the cause chain of {@code failure}, or null if it is something
     * else.
     */
    public static String typeMismatchExplanation(Throwable failure, QueueType wanted) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("PRECONDITION_FAILED") && message.contains("x-queue-type")) {
                return "A durable queue exists on the broker with another type than "
                        + QueueType.PROPERTY
                        + "="
                        + wanted.argument()
                        + " asks for (env SPANNER_MESSAGING_QUEUETYPE); RabbitMQ cannot change a queue's type. "
                        + "Either set the property back to the type the queues have, or migrate: stop the services, "
                        + "delete the spanner.* durable queues (rabbitmqctl delete_queue NAME) or point every service "
                        + "at a new virtual host, then start them all with the same setting. Broker said: "
                        + message;
            }
        }
        return null;
    }

    private static QueueBuilder typed(QueueBuilder builder, QueueType type) {
        return type == QueueType.QUORUM ? builder.quorum() : builder;
    }

    /** A coordinator instance's results: exclusive and auto-delete, only its own queries await them. */
    public static Queue resultsQueue(String instanceId) {
        return privateQueue(Topology.RESULTS_QUEUE_PREFIX + instanceId);
    }

    /** An entry instance's answers: exclusive and auto-delete, only its own callers await them. */
    public static Queue answersQueue(String instanceId) {
        return privateQueue(Topology.ANSWERS_QUEUE_PREFIX + instanceId);
    }

    /** A worker's own window on the cancel exchange. */
    public static Queue cancelQueue(String workerId) {
        return privateQueue(Topology.CANCEL_QUEUE_PREFIX + workerId);
    }

    public static Binding cancelBinding(String queue) {
        return new Binding(queue, Binding.DestinationType.QUEUE, Topology.CANCEL_EXCHANGE, "", null);
    }

    /** A worker's own queue of {@link EchoRequest}s, bound once per source it serves. */
    public static Queue healthEchoQueue(String workerId) {
        return privateQueue(Topology.HEALTH_ECHO_QUEUE_PREFIX + workerId);
    }

    public static Binding healthEchoBinding(String exchange, String queue, long sourceId) {
        return new Binding(
                queue, Binding.DestinationType.QUEUE, exchange, Topology.healthEchoRoutingKey(sourceId), null);
    }

    /**
     * Exclusive, auto-delete, non-durable: gone with its owner. Named by the owner rather than by {@code
     * AnonymousQueue}, whose leader-locator argument older RabbitMQ refuses.
     */
    private static Queue privateQueue(String name) {
        return new Queue(name, false, true, true, Map.of());
    }

    /**
     * The message converter of the services' {@code @RabbitListener}s and templates: the {@link MessageCodec} JSON,
     * sealed ({@link SealedMessageConverter}). The listener's parameter type decides what a message is read as; other
     * services name their own classes in {@code __TypeId__}.
     */
    public static MessageConverter messageConverter(SealedCodec codec) {
        JacksonJsonMessageConverter converter =
                new JacksonJsonMessageConverter(MessageCodec.instance().mapper());
        converter.setAlwaysConvertToInferredType(true);
        return new SealedMessageConverter(converter, codec);
    }
}
