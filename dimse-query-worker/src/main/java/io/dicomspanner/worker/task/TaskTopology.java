package io.dicomspanner.worker.task;

import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.worker.WorkerProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Declares what the worker uses of {@link Topology}, with exactly the types and arguments the coordinator declares
 * (RabbitMQ refuses a redeclaration with other arguments), so either service may start first.
 */
@Configuration(proxyBeanMethods = false)
public class TaskTopology {

    @Bean
    DirectExchange tasksExchange() {
        return new DirectExchange(Topology.TASKS_EXCHANGE, true, false);
    }

    @Bean
    FanoutExchange cancelExchange() {
        return new FanoutExchange(Topology.CANCEL_EXCHANGE, true, false);
    }

    @Bean
    FanoutExchange deadLetterExchange() {
        return new FanoutExchange(Topology.DEAD_LETTER_EXCHANGE, true, false);
    }

    /**
     * This worker's own queue of {@code CancelQuery} broadcasts (exclusive, auto-delete: gone with the worker). Named
     * here rather than by {@code AnonymousQueue}, whose leader-locator argument older RabbitMQ refuses.
     */
    @Bean
    Queue cancelQueue() {
        return QueueBuilder.nonDurable("spanner.cancel.worker." + UUID.randomUUID())
                .exclusive()
                .autoDelete()
                .build();
    }

    @Bean
    Binding cancelBinding(Queue cancelQueue, FanoutExchange cancelExchange) {
        return BindingBuilder.bind(cancelQueue).to(cancelExchange);
    }

    /** The task queue of every source this worker serves, bound by source id. */
    @Bean
    Declarables sourceTaskQueues(WorkerProperties properties) {
        List<Declarable> declarables = new ArrayList<>();
        for (long sourceId : properties.sources()) {
            declarables.add(taskQueue(sourceId));
            declarables.add(taskBinding(sourceId));
        }
        return new Declarables(declarables);
    }

    /** The one JSON mapping of messages, the coordinator's: record component names, byte[] as base64. */
    @Bean
    MessageConverter messageConverter(JsonMapper json) {
        JacksonJsonMessageConverter converter = new JacksonJsonMessageConverter(json);
        // Other services name their own classes in __TypeId__; the listener's parameter type decides.
        converter.setAlwaysConvertToInferredType(true);
        return converter;
    }

    public static Queue taskQueue(long sourceId) {
        return QueueBuilder.durable(Topology.taskQueue(sourceId))
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
}
