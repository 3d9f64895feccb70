package io.dicomspanner.worker.task;

import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import java.util.UUID;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Declares what the worker uses of {@link Topology}, as {@link TopologyDeclarations} states it. The task queues and
 * echo bindings of the sources served are declared by {@link io.dicomspanner.worker.sources.ServedSources}.
 */
@Configuration(proxyBeanMethods = false)
public class TaskTopology {

    @Bean
    DirectExchange tasksExchange() {
        return TopologyDeclarations.tasksExchange();
    }

    @Bean
    FanoutExchange cancelExchange() {
        return TopologyDeclarations.cancelExchange();
    }

    @Bean
    FanoutExchange deadLetterExchange() {
        return TopologyDeclarations.deadLetterExchange();
    }

    /** This worker's own queue of {@code CancelQuery} broadcasts. */
    @Bean
    Queue cancelQueue() {
        return TopologyDeclarations.cancelQueue(UUID.randomUUID().toString());
    }

    @Bean
    Binding cancelBinding(Queue cancelQueue) {
        return TopologyDeclarations.cancelBinding(cancelQueue.getName());
    }

    @Bean
    DirectExchange healthEchoExchange() {
        return TopologyDeclarations.healthEchoExchange();
    }

    /**
     * This worker's own queue of {@code EchoRequest}s; {@link io.dicomspanner.worker.sources.ServedSources} binds it
     * once per source served. Each worker of a source gets each request; the first to echo makes the others' checks
     * unnecessary (see {@code EchoListener}).
     */
    @Bean
    Queue healthEchoQueue() {
        return TopologyDeclarations.healthEchoQueue(UUID.randomUUID().toString());
    }

    @Bean
    MessageConverter messageConverter(JsonMapper json) {
        return TopologyDeclarations.messageConverter(json);
    }
}
