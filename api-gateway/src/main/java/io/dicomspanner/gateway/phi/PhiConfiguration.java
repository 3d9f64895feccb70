package io.dicomspanner.gateway.phi;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.gateway.secret.SecretSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class PhiConfiguration {

    @Bean
    PhiTokenizer phiTokenizer(PhiProperties properties) {
        String secret = SecretSource.resolve(
                        properties.tokenSecret(),
                        properties.tokenSecretFile(),
                        "spanner.phi.token-secret (SPANNER_PHI_TOKEN_SECRET)",
                        "spanner.phi.token-secret-file (SPANNER_PHI_TOKEN_SECRET_FILE)")
                .orElseThrow(
                        () -> new IllegalStateException("No PHI token secret: set SPANNER_PHI_TOKEN_SECRET (at least "
                                + PhiTokenizer.MIN_SECRET_BYTES + " bytes) or SPANNER_PHI_TOKEN_SECRET_FILE"));
        return PhiTokenizer.withSecret(secret);
    }
}
