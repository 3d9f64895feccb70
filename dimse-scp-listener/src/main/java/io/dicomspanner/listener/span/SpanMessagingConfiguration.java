package io.dicomspanner.listener.span;

import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.listener.ListenerProperties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the listener declares on RabbitMQ: the exchanges it publishes to (with the types and arguments every service
 * uses, see docs/configuration-coordinator.md) and its own answer queue. The request queue belongs to the coordinators.
 */
@Configuration(proxyBeanMethods = false)
class SpanMessagingConfiguration {

    /** A declaration that clashes with another service's is logged and skipped: the other one is in force. */
    @Bean
    RabbitAdmin rabbitAdmin(ConnectionFactory connectionFactory) {
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        admin.setIgnoreDeclarationExceptions(true);
        return admin;
    }

    /** Returned (unroutable) requests are reported through their CorrelationData; see SpanMessages. */
    @Bean
    RabbitTemplateCustomizer returnsThroughCorrelationData() {
        return template -> template.setReturnsCallback(returned -> {});
    }

    @Bean
    DirectExchange spanRequestsExchange(ListenerProperties properties) {
        return new DirectExchange(properties.span().requestsExchange(), true, false);
    }

    @Bean
    FanoutExchange cancelExchange() {
        return new FanoutExchange(Topology.CANCEL_EXCHANGE, true, false);
    }

    /** Exclusive and auto-deleted: answers are only of use to this instance while it runs. */
    @Bean
    Queue spanAnswersQueue(SpanMessages messages) {
        return new Queue(messages.answersQueue(), false, true, true);
    }

    @Bean
    SimpleMessageListenerContainer spanAnswersListener(
            ConnectionFactory connectionFactory, RabbitAdmin rabbitAdmin, Queue spanAnswersQueue, SpanAnswers answers) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueues(spanAnswersQueue);
        container.setMessageListener(answers);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        // An exclusive queue lost with a broker restart is declared again when the listener reconnects.
        container.setMismatchedQueuesFatal(false);
        container.setMissingQueuesFatal(false);
        container.setAmqpAdmin(rabbitAdmin);
        return container;
    }

    /** Hands span requests to the broker, so no DICOM event loop waits on RabbitMQ. */
    @Bean(destroyMethod = "shutdown")
    ExecutorService spanPublishers(ListenerProperties properties) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "span-publish-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newFixedThreadPool(properties.span().publishThreads(), threads);
    }
}
