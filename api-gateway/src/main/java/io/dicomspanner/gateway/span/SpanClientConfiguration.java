package io.dicomspanner.gateway.span;

import io.dicomspanner.common.span.BrokerPublisher;
import io.dicomspanner.common.span.SpanClient;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's {@link SpanClient} and its {@link BrokerPublisher}, from {@code spanner.span.*}. Creating them touches
 * no broker; what the gateway declares and consumes is {@link SpanMessagingConfiguration}'s.
 */
@Configuration(proxyBeanMethods = false)
class SpanClientConfiguration {

    /** Sends on the request's own thread: a search answers only after the broker has taken its request. */
    @Bean
    BrokerPublisher brokerPublisher(RabbitTemplate rabbit, SpanProperties properties) {
        return new BrokerPublisher(rabbit, properties.publishConfirmTimeout(), Runnable::run);
    }

    @Bean
    SpanClient spanClient(BrokerPublisher brokerPublisher, SpanProperties properties) {
        return new SpanClient(
                brokerPublisher,
                new SpanClient.Settings(
                        properties.requestsExchange(),
                        properties.requestsRoutingKey(),
                        properties.instanceId(),
                        properties.deadlineMargin(),
                        properties.maxWait()));
    }
}
