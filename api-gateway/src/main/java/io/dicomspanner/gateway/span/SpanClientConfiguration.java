package io.dicomspanner.gateway.span;

import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.seal.SealingConfiguration;
import io.dicomspanner.common.span.BrokerPublisher;
import io.dicomspanner.common.span.SpanClient;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The gateway's {@link SpanClient} and its {@link BrokerPublisher}, from {@code spanner.span.*}. Creating them touches
 * no broker; what the gateway declares and consumes is {@link SpanMessagingConfiguration}'s.
 */
@Configuration(proxyBeanMethods = false)
@Import(SealingConfiguration.class)
class SpanClientConfiguration {

    /** Sends on the request's own thread: a search answers only after the broker has taken its request. */
    @Bean
    BrokerPublisher brokerPublisher(RabbitTemplate rabbit, SealedCodec sealedCodec, SpanProperties properties) {
        return new BrokerPublisher(rabbit, sealedCodec, properties.publishConfirmTimeout(), Runnable::run);
    }

    @Bean
    SpanClient spanClient(BrokerPublisher brokerPublisher, SealedCodec sealedCodec, SpanProperties properties) {
        return new SpanClient(
                brokerPublisher,
                sealedCodec,
                new SpanClient.Settings(
                        properties.requestsExchange(),
                        properties.requestsRoutingKey(),
                        properties.instanceId(),
                        properties.deadlineMargin(),
                        properties.maxWait()));
    }
}
