package io.dicomspanner.common.atna;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.Rsyslog;
import io.dicomspanner.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

/** What a service gets from {@link AtnaAutoConfiguration}, by its settings. */
class AtnaAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ValidationAutoConfiguration.class, SslAutoConfiguration.class, AtnaAutoConfiguration.class))
            .withPropertyValues("spring.application.name=spanner-coordinator");

    @TempDir
    Path dir;

    @Test
    void withoutEnabledThereIsNoAuditExport() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AuditExport.class));
        runner.withPropertyValues("spanner.audit.atna.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AuditExport.class));
    }

    @Test
    void tlsWithoutAnSslBundleOrAnUnknownFacilityStopsTheStartNamingTheSetting() {
        runner.withPropertyValues("spanner.audit.atna.enabled=true")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining(
                                "Field error in object 'spanner.audit.atna' on field 'sslBundleGivenForTls'")
                        .hasMessageContaining("ssl-bundle is required for transport tls (or set transport tcp)"));
        runner.withPropertyValues(
                        "spanner.audit.atna.enabled=true",
                        "spanner.audit.atna.transport=tcp",
                        "spanner.audit.atna.facility=4")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("on field 'facilityKnown'")
                        .hasMessageContaining("must be 10 (authpriv) or 13 (log audit)"));
    }

    @Test
    void theServiceIsNamedAfterItsApplicationNameUnlessTheSettingsSayOtherwise() {
        runner.withPropertyValues("spanner.audit.atna.enabled=true", "spanner.audit.atna.transport=tcp")
                .run(context -> {
                    ReportingApplication app =
                            context.getBean(AuditExport.class).application();
                    assertThat(app.appName()).isEqualTo("spanner-coordinator");
                    assertThat(app.processId())
                            .isEqualTo(Long.toString(ProcessHandle.current().pid()));
                    assertThat(app.source()).isEqualTo(new AuditSource("spanner-coordinator", null, "4"));
                });
        runner.withPropertyValues(
                        "spanner.audit.atna.enabled=true",
                        "spanner.audit.atna.transport=tcp",
                        "spanner.audit.atna.app-name=coordinator-2",
                        "spanner.audit.atna.audit-source-id=spanner@hospital-a",
                        "spanner.audit.atna.enterprise-site-id=HOSPITAL-A")
                .run(context -> {
                    ReportingApplication app =
                            context.getBean(AuditExport.class).application();
                    assertThat(app.appName()).isEqualTo("coordinator-2");
                    assertThat(app.source()).isEqualTo(new AuditSource("spanner@hospital-a", "HOSPITAL-A", "4"));
                });
    }

    @Test
    void overTlsThroughAnSslBundleTheContextsStartAndStopReachTheRepository() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"), "arr");
        int port = FreePorts.one();
        try (Rsyslog rsyslog = Rsyslog.tls(dir, port, pki.server("localhost"))) {
            runner.withPropertyValues(
                            "spanner.audit.atna.enabled=true",
                            "spanner.audit.atna.host=localhost",
                            "spanner.audit.atna.port=" + port,
                            "spanner.audit.atna.ssl-bundle=arr",
                            "spring.ssl.bundle.pem.arr.truststore.certificate=file:" + pki.caCertificate())
                    .run(context -> assertThat(context).hasNotFailed().hasSingleBean(AuditExport.class));

            List<Rsyslog.Received> received = rsyslog.awaitReceived(2, Duration.ofSeconds(20));
            assertThat(received).as(rsyslog.log()).hasSize(2);
            assertThat(received).extracting(Rsyslog.Received::appName).containsOnly("spanner-coordinator");
            assertThat(Rsyslog.xml(received.get(0))).contains("originalText=\"Application Start\"");
            assertThat(Rsyslog.xml(received.get(1))).contains("originalText=\"Application Stop\"");
            for (Rsyslog.Received message : received) {
                AuditSchema.validate(Rsyslog.xml(message).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }
}
