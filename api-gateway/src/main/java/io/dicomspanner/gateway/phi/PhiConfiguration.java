package io.dicomspanner.gateway.phi;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.phi.PhiTokenizerConfiguration;
import io.dicomspanner.common.querylog.QueryLogWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The PHI tokenizer every service makes alike ({@link PhiTokenizerConfiguration}), and the query log writer keyed by it. */
@Configuration(proxyBeanMethods = false)
@Import(PhiTokenizerConfiguration.class)
public class PhiConfiguration {

    /** Writes the query-log rows of the searches the gateway answers from the result cache itself. */
    @Bean
    QueryLogWriter queryLogWriter(JdbcClient jdbc, PhiTokenizer tokenizer) {
        return new QueryLogWriter(jdbc, tokenizer);
    }
}
