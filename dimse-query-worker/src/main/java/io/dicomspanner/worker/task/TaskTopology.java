package io.dicomspanner.worker.task;

import io.dicomspanner.common.messaging.SharedTopology;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import java.util.UUID;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Declares what the worker uses of {@link Topology}, as {@link TopologyDeclarations} states it: what it shares with
 * the coordinators ({@link SharedTopology}), and its own queues. The task queues and echo bindings of the sources
 * served are declared by {@link io.dicomspanner.worker.sources.ServedSources}.
 */
@Configuration(proxyBeanMethods = false)
@Import(SharedTopology.class)
public class TaskTopology {

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
}
