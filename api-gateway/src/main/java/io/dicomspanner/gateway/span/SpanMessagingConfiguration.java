package io.dicomspanner.gateway.span;

import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.dicomspanner.common.span.SpanClient;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What this gateway declares on RabbitMQ: the exchanges it publishes to and its own answer queue. The request queue
 * itself, with its length limit and reject-publish overflow, belongs to the coordinators that consume it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SpanMessagingConfiguration {

    /**
     * Declares at every (re)connection. A declaration that clashes with another service's (same name, other
     * arguments) is logged and skipped rather than stopping the gateway: the other service's is the one in force.
     */
    @Bean
    RabbitAdmin rabbitAdmin(ConnectionFactory connectionFactory) {
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        admin.setIgnoreDeclarationExceptions(true);
        return admin;
    }

    @Bean
    DirectExchange spanRequestsExchange(SpanProperties properties) {
        return TopologyDeclarations.requestsExchange(properties.requestsExchange());
    }

    @Bean
    DirectExchange healthEchoExchange(SpanProperties properties) {
        return TopologyDeclarations.healthEchoExchange(properties.healthEchoExchange());
    }

    /** Exclusive and auto-deleted: answers are only of use to this instance while it runs. */
    @Bean
    Queue spanAnswersQueue(SpanProperties properties) {
        return TopologyDeclarations.answersQueue(properties.instanceId());
    }

    @Bean
    SimpleMessageListenerContainer spanAnswersListener(
            ConnectionFactory connectionFactory,
            RabbitAdmin rabbitAdmin,
            Queue spanAnswersQueue,
            SpanClient spanClient) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueues(spanAnswersQueue);
        // One consumer and no acks, as the SpanClient expects.
        container.setMessageListener(spanClient);
        container.setAcknowledgeMode(AcknowledgeMode.NONE);
        // An exclusive queue lost with a broker restart is declared again when the listener reconnects.
        container.setMismatchedQueuesFatal(false);
        container.setMissingQueuesFatal(false);
        container.setAmqpAdmin(rabbitAdmin);
        return container;
    }
}
