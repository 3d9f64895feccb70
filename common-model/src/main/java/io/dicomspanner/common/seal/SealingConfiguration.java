package io.dicomspanner.common.seal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link SealedCodec} of a service, keyed by {@link DataKeyProperties}: every service that keeps PHI in Redis or
 * sends it over RabbitMQ imports this configuration. Without a data key the service does not start.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DataKeyProperties.class)
public class SealingConfiguration {

    @Bean
    SealedCodec sealedCodec(DataKeyProperties properties, ObjectProvider<MeterRegistry> registry) {
        return new SealedCodec(properties.sealer(), registry.getIfAvailable(SimpleMeterRegistry::new));
    }
}
