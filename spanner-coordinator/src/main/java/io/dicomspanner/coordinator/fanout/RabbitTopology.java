package io.dicomspanner.coordinator.fanout;

import io.dicomspanner.common.messaging.QueueType;
import io.dicomspanner.common.messaging.SharedTopology;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.dicomspanner.coordinator.CoordinatorProperties;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Declares what the coordinator uses of {@link Topology}, as {@link TopologyDeclarations} states it (documented in
 * docs/configuration-coordinator.md): what it shares with the workers ({@link SharedTopology}), and its own queues.
 * The durable queues are of the type {@link QueueType#PROPERTY} names. Each source's task queue is declared before its first task ({@link TaskPublisher}).
 */
@Configuration(proxyBeanMethods = false)
@Import(SharedTopology.class)
public class RabbitTopology {

    @Bean
    Queue deadLetterQueue(QueueType messagingQueueType) {
        return TopologyDeclarations.deadLetterQueue(messagingQueueType);
    }

    @Bean
    Binding deadLetterBinding() {
        return TopologyDeclarations.deadLetterBinding();
    }

    @Bean
    DirectExchange requestsExchange() {
        return TopologyDeclarations.requestsExchange();
    }

    @Bean
    Queue requestsQueue(CoordinatorProperties properties, QueueType messagingQueueType) {
        return TopologyDeclarations.requestsQueue(
                properties.requestsQueue(), properties.requestsQueueMaxLength(), messagingQueueType);
    }

    @Bean
    Binding requestsBinding(CoordinatorProperties properties) {
        return TopologyDeclarations.requestsBinding(Topology.REQUESTS_EXCHANGE, properties.requestsQueue());
    }

    @Bean
    Queue resultsQueue(CoordinatorProperties properties) {
        return TopologyDeclarations.resultsQueue(properties.instanceId());
    }
}
