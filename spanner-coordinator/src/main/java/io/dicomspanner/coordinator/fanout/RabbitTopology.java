package io.dicomspanner.coordinator.fanout;

import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.coordinator.CoordinatorProperties;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
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
 * Declares what the coordinator uses of {@link Topology}. Declarations are idempotent, but RabbitMQ refuses a
 * redeclaration with other arguments, so every service declares these names with exactly these types and arguments
 * (documented in docs/configuration-coordinator.md).
 */
@Configuration(proxyBeanMethods = false)
public class RabbitTopology {

    /** Dead-lettered messages keep their routing key (a source id, the requests queue), so the DLX fans out. */
    @Bean
    FanoutExchange deadLetterExchange() {
        return new FanoutExchange(Topology.DEAD_LETTER_EXCHANGE, true, false);
    }

    @Bean
    Queue deadLetterQueue() {
        return QueueBuilder.durable(Topology.DEAD_LETTER_QUEUE).build();
    }

    @Bean
    Binding deadLetterBinding(Queue deadLetterQueue, FanoutExchange deadLetterExchange) {
        return BindingBuilder.bind(deadLetterQueue).to(deadLetterExchange);
    }

    @Bean
    DirectExchange requestsExchange() {
        return new DirectExchange(Topology.REQUESTS_EXCHANGE, true, false);
    }

    /** Bounded so that overload is refused at the entry (reject-publish), not after a long wait. */
    @Bean
    Queue requestsQueue(CoordinatorProperties properties) {
        return QueueBuilder.durable(properties.requestsQueue())
                .maxLength(properties.requestsQueueMaxLength())
                .overflow(QueueBuilder.Overflow.rejectPublish)
                .deadLetterExchange(Topology.DEAD_LETTER_EXCHANGE)
                .build();
    }

    /** Entry points publish span requests to the exchange with the queue's name as routing key. */
    @Bean
    Binding requestsBinding(Queue requestsQueue, DirectExchange requestsExchange) {
        return BindingBuilder.bind(requestsQueue).to(requestsExchange).with(requestsQueue.getName());
    }

    @Bean
    DirectExchange tasksExchange() {
        return new DirectExchange(Topology.TASKS_EXCHANGE, true, false);
    }

    @Bean
    FanoutExchange cancelExchange() {
        return new FanoutExchange(Topology.CANCEL_EXCHANGE, true, false);
    }

    /** This instance's results: exclusive and auto-delete, since only this instance's queries await them. */
    @Bean
    Queue resultsQueue(CoordinatorProperties properties) {
        return QueueBuilder.nonDurable(Topology.RESULTS_QUEUE_PREFIX + properties.instanceId())
                .exclusive()
                .autoDelete()
                .build();
    }

    /** The one JSON mapping of messages (record component names; byte[] as base64). */
    @Bean
    MessageConverter messageConverter(JsonMapper json) {
        JacksonJsonMessageConverter converter = new JacksonJsonMessageConverter(json);
        // Other services name their own classes in __TypeId__; the listener's parameter type decides.
        converter.setAlwaysConvertToInferredType(true);
        return converter;
    }

    /** Declares a source's task queue the first time the coordinator sends it a task (idempotent). */
    static Queue taskQueue(long sourceId) {
        return QueueBuilder.durable(Topology.taskQueue(sourceId))
                .deadLetterExchange(Topology.DEAD_LETTER_EXCHANGE)
                .build();
    }

    static Binding taskBinding(long sourceId) {
        return new Binding(
                Topology.taskQueue(sourceId),
                Binding.DestinationType.QUEUE,
                Topology.TASKS_EXCHANGE,
                Topology.taskRoutingKey(sourceId),
                null);
    }

    static void declareSourceQueue(AmqpAdmin admin, long sourceId) {
        admin.declareQueue(taskQueue(sourceId));
        admin.declareBinding(taskBinding(sourceId));
    }
}
