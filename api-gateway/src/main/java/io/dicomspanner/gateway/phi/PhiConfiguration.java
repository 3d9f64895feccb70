package io.dicomspanner.gateway.phi;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.querylog.QueryLogWriter;
import io.dicomspanner.gateway.secret.SecretSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
public class PhiConfiguration {

    /** Writes the query-log rows of the searches the gateway answers from the result cache itself. */
    @Bean
    QueryLogWriter queryLogWriter(JdbcClient jdbc, PhiTokenizer tokenizer) {
        return new QueryLogWriter(jdbc, tokenizer);
    }

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
