package io.dicomspanner.common.atna;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@link AuditExport} of every service that has common-model on its class path, when
 * {@code spanner.audit.atna.enabled} is true ({@link AtnaProperties}).
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@ConditionalOnProperty(prefix = "spanner.audit.atna", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(AtnaProperties.class)
public class AtnaAutoConfiguration {

    @Bean
    SyslogAuditExport auditExport(
            AtnaProperties properties,
            Environment environment,
            ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<MeterRegistry> meters) {
        ReportingApplication application = application(properties, environment);
        SSLContext tls = null;
        if (properties.transport() == AtnaProperties.Transport.TLS) {
            SslBundles bundles = sslBundles.getIfAvailable();
            if (bundles == null) {
                throw new IllegalStateException("spanner.audit.atna.transport tls needs spring.ssl.bundle." + "<kind>."
                        + properties.sslBundle() + ", and no SSL bundles are configured");
            }
            tls = bundles.getBundle(properties.sslBundle()).createSslContext();
        }
        SyslogSender sender = new SyslogSender(
                new SyslogSender.Target(properties.host(), properties.port(), tls, properties.connectTimeout()),
                new SyslogSender.Backoff(properties.reconnectMin(), properties.reconnectMax()),
                properties.queueCapacity(),
                meters.getIfAvailable(SimpleMeterRegistry::new));
        return new SyslogAuditExport(
                application, sender, properties.facility(), properties.shutdownTimeout(), Clock.systemUTC());
    }

    static ReportingApplication application(AtnaProperties properties, Environment environment) {
        String appName = blankToNull(properties.appName());
        if (appName == null) {
            appName = environment.getProperty("spring.application.name", "dicom-query-spanner");
        }
        String sourceId = blankToNull(properties.auditSourceId());
        return new ReportingApplication(
                appName,
                Long.toString(ProcessHandle.current().pid()),
                hostName(),
                new AuditSource(
                        sourceId == null ? appName : sourceId,
                        blankToNull(properties.enterpriseSiteId()),
                        AuditSource.APPLICATION_SERVER));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
