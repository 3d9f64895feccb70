package io.dicomspanner.common.messaging;

import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.seal.SealingConfiguration;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.support.converter.MessageConverter;
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

    @Bean
    MessageConverter messageConverter(SealedCodec codec) {
        return TopologyDeclarations.messageConverter(codec);
    }
}
