package io.dicomspanner.common.messaging;

import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.seal.SealingConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.rabbit.core.DeclarationExceptionEvent;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * What the coordinator and the worker both declare of the {@link Topology}: the exchanges tasks, cancellations and
 * dead letters travel on, and the message converter of their listeners and templates (sealed, {@link
 * SealingConfiguration}). Each imports this and declares its own queues beside it.
 */
@Configuration(proxyBeanMethods = false)
@Import(SealingConfiguration.class)
public class SharedTopology {

    private static final Logger LOG = LoggerFactory.getLogger(SharedTopology.class);

    @Bean
    FanoutExchange deadLetterExchange() {
        return TopologyDeclarations.deadLetterExchange();
    }

    @Bean
    DirectExchange tasksExchange() {
        return TopologyDeclarations.tasksExchange();
    }

    @Bean
    FanoutExchange cancelExchange() {
        return TopologyDeclarations.cancelExchange();
    }

    /** {@link QueueType#PROPERTY}: the type of the durable shared queues, the same in every service. */
    @Bean
    QueueType messagingQueueType(@Value("${" + QueueType.PROPERTY + ":classic}") String value) {
        return QueueType.parse(value);
    }

    /**
     * Declarations happen on every (re)connection, in the background; a queue that exists with another type is refused
     * there with a bare PRECONDITION_FAILED. This says what it means and how to migrate.
     */
    @Bean
    ApplicationListener<DeclarationExceptionEvent> queueTypeMismatchExplainer(QueueType messagingQueueType) {
        return event -> {
            String explanation = TopologyDeclarations.typeMismatchExplanation(event.getThrowable(), messagingQueueType);
            if (explanation != null) {
                LOG.error(explanation);
            }
        };
    }

    @Bean
    MessageConverter messageConverter(SealedCodec codec) {
        return TopologyDeclarations.messageConverter(codec);
    }
}
