package io.dicomspanner.common.persistence;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@link ReadReplica} of every service with a datasource and common-model on its class path
 * ({@link ReadReplicaProperties}).
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({JdbcClient.class, HikariDataSource.class})
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(ReadReplicaProperties.class)
public class ReadReplicaAutoConfiguration {

    @Bean
    ReadReplica readReplica(ReadReplicaProperties properties, DataSource primary, Environment environment) {
        if (!properties.configured()) {
            return ReadReplica.ofPrimary(primary);
        }
        return ReadReplica.ofReplica(
                properties.url(),
                orElse(properties.username(), environment.getProperty("spring.datasource.username")),
                orElse(properties.password(), environment.getProperty("spring.datasource.password")),
                properties.maximumPoolSize(),
                properties.connectionTimeout().toMillis());
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
