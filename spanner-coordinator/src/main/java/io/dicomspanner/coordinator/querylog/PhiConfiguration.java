package io.dicomspanner.coordinator.querylog;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.querylog.QueryLogWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
public class PhiConfiguration {

    @Bean
    QueryLogWriter queryLogWriter(JdbcClient jdbc, PhiTokenizer tokenizer) {
        return new QueryLogWriter(jdbc, tokenizer);
    }

    @Bean
    PhiTokenizer phiTokenizer(PhiProperties properties) {
        boolean hasSecret =
                properties.tokenSecret() != null && !properties.tokenSecret().isBlank();
        boolean hasFile = properties.tokenSecretFile() != null
                && !properties.tokenSecretFile().isBlank();
        if (hasSecret && hasFile) {
            throw new IllegalStateException("Set either spanner.phi.token-secret (SPANNER_PHI_TOKEN_SECRET) or "
                    + "spanner.phi.token-secret-file (SPANNER_PHI_TOKEN_SECRET_FILE), not both");
        }
        if (hasSecret) {
            return PhiTokenizer.withSecret(properties.tokenSecret());
        }
        if (hasFile) {
            try {
                String secret = Files.readString(Path.of(properties.tokenSecretFile()), StandardCharsets.UTF_8)
                        .strip();
                return PhiTokenizer.withSecret(secret);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read spanner.phi.token-secret-file", e);
            }
        }
        throw new IllegalStateException("No PHI token secret: set SPANNER_PHI_TOKEN_SECRET (at least "
                + PhiTokenizer.MIN_SECRET_BYTES + " bytes) or SPANNER_PHI_TOKEN_SECRET_FILE");
    }
}
