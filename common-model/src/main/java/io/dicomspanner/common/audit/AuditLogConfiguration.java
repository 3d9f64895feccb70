package io.dicomspanner.common.audit;

import io.dicomspanner.common.outbox.OutboxProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@link AuditLog} of a service that audits access, with its outbox under {@code spanner.outbox}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboxProperties.class)
public class AuditLogConfiguration {

    @Bean(destroyMethod = "close")
    AuditLog auditLog(JdbcClient jdbc, OutboxProperties outbox, MeterRegistry registry) {
        return new AuditLog(jdbc, outbox, registry);
    }
}
