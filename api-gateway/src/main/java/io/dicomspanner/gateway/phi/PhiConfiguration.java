package io.dicomspanner.gateway.phi;

import io.dicomspanner.common.outbox.OutboxProperties;
import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.phi.PhiTokenizerConfiguration;
import io.dicomspanner.common.querylog.QueryLogWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The PHI tokenizer every service makes alike ({@link PhiTokenizerConfiguration}), and the query log writer keyed by it. */
@Configuration(proxyBeanMethods = false)
@Import(PhiTokenizerConfiguration.class)
@EnableConfigurationProperties(OutboxProperties.class)
public class PhiConfiguration {

    /** Writes the query-log rows of the searches the gateway answers from the result cache itself. */
    @Bean(destroyMethod = "close")
    QueryLogWriter queryLogWriter(
            JdbcClient jdbc, PhiTokenizer tokenizer, OutboxProperties outbox, MeterRegistry registry) {
        return new QueryLogWriter(jdbc, tokenizer, outbox, registry);
    }
}
