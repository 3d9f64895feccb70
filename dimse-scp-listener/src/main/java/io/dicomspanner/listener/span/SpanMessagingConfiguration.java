package io.dicomspanner.listener.span;

import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.seal.SealingConfiguration;
import io.dicomspanner.common.span.BrokerPublisher;
import io.dicomspanner.common.span.SpanClient;
import io.dicomspanner.listener.ListenerProperties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The listener's {@link SpanClient}, and what it declares on RabbitMQ: the exchanges it publishes to (declared through
 * common-model's TopologyDeclarations, like every service's) and its own answer queue. The request queue belongs to
 * the coordinators.
 */
@Configuration(proxyBeanMethods = false)
@Import(SealingConfiguration.class)
class SpanMessagingConfiguration {

    @Bean
    DirectExchange spanRequestsExchange(ListenerProperties properties) {
        return TopologyDeclarations.requestsExchange(properties.span().requestsExchange());
    }

    @Bean
    FanoutExchange cancelExchange() {
        return TopologyDeclarations.cancelExchange();
    }

    /** Exclusive and auto-deleted: answers are only of use to this instance while it runs. */
    @Bean
    Queue spanAnswersQueue(ListenerProperties properties) {
        return TopologyDeclarations.answersQueue(properties.span().instanceId());
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

    @Bean
    BrokerPublisher brokerPublisher(
            RabbitTemplate rabbit,
            SealedCodec sealedCodec,
            ListenerProperties properties,
            ExecutorService spanPublishers) {
        return new BrokerPublisher(rabbit, sealedCodec, properties.span().publishConfirmTimeout(), spanPublishers);
    }

    @Bean
    SpanClient spanClient(BrokerPublisher brokerPublisher, SealedCodec sealedCodec, ListenerProperties properties) {
        ListenerProperties.Span span = properties.span();
        return new SpanClient(
                brokerPublisher,
                sealedCodec,
                new SpanClient.Settings(
                        span.requestsExchange(),
                        span.requestsRoutingKey(),
                        span.instanceId(),
                        span.deadlineMargin(),
                        span.maxWait()));
    }
}
