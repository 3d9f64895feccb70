package io.dicomspanner.common.phi;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link PhiTokenizer} of a service, keyed by {@link PhiProperties}; a service that tokenizes PHI imports this
 * configuration, so every service reads the same settings the same way.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PhiProperties.class)
public class PhiTokenizerConfiguration {

    @Bean
    PhiTokenizer phiTokenizer(PhiProperties properties) {
        return properties.tokenizer();
    }
}
