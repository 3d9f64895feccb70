package io.dicomspanner.listener;

import io.dicomspanner.dicom.net.TlsProfile;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.security.auth.x500.X500Principal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The listener's settings ({@code spanner.listener.*}); defaults in application.yaml, each described in
 * docs/configuration-listener.md.
 *
 * @param dicom the SCP: address, plain port, association limits, per-association limits
 * @param tls the DICOM TLS port beside the plain one
 * @param callingAeLimits C-FINDs per second and in flight allowed to each calling AE title
 * @param span how C-FINDs are handed to the coordinators
 * @param configRefresh how often the AE title → spanning config table is read again from PostgreSQL
 */
@Validated
@ConfigurationProperties("spanner.listener")
public record ListenerProperties(
        @Valid @NotNull Dicom dicom,
        @Valid @NotNull Tls tls,
        @Valid @NotNull CallingAeLimits callingAeLimits,
        @Valid @NotNull Span span,
        @NotNull Duration configRefresh) {

    /**
     * @param bindAddress address the SCP listens on (plain and TLS port)
     * @param port plain DICOM port (0 picks a free one)
     * @param plainPortEnabled false: no plain port, only the TLS one
     * @param maxAssociations associations held at once; one more is rejected (transient, local limit exceeded)
     * @param maxOperationsPerAssociation C-FINDs performed at once on one association (asynchronous operations window)
     * @param maxPduLength largest P-DATA-TF received and sent
     * @param idleTimeout an association with nothing received and nothing running is aborted after this long
     * @param artimTimeout wait for the A-ASSOCIATE-RQ after connect, and for the peer to close after a reject/release
     * @param eventLoopThreads Netty threads shared by all associations
     */
    public record Dicom(
            @NotBlank String bindAddress,
            @Min(0) @Max(65535) int port,
            boolean plainPortEnabled,
            @Min(1) int maxAssociations,
            @Min(1) int maxOperationsPerAssociation,
            @Min(4096) int maxPduLength,
            @NotNull Duration idleTimeout,
            @NotNull Duration artimTimeout,
            @Min(1) int eventLoopThreads) {}

    /**
     * The DICOM TLS port, served with the certificate, key and trusted authorities of a Spring Boot SSL bundle (reloaded
     * when its files change).
     *
     * @param mode whether there is a TLS port: when the bundle is configured (default), always (start-up fails without
     *     the bundle), or never
     * @param port TLS port (0 picks a free one); 2762 is DICOM's registered TLS port
     * @param bundle the SSL bundle ({@code spring.ssl.bundle.pem.<name>}): key, certificate chain, trusted CAs
     * @param profile TLS versions and cipher suites (PS3.15 Annex B)
     * @param clientCertificateRequired whether an SCU must present a certificate the bundle's truststore trusts
     * @param callingAeSubjects which certificate subjects may use which calling AE titles; empty = no such rule
     */
    public record Tls(
            @NotNull Mode mode,
            @Min(0) @Max(65535) int port,
            @NotBlank String bundle,
            @NotNull TlsProfile profile,
            boolean clientCertificateRequired,
            @Valid List<CallingAeSubjects> callingAeSubjects) {

        public enum Mode {
            /** A TLS port when the bundle is configured, none otherwise. */
            WHEN_CONFIGURED,
            /** A TLS port; start-up fails without the bundle. */
            ON,
            /** No TLS port. */
            OFF
        }

        public Tls {
            callingAeSubjects = callingAeSubjects == null ? List.of() : List.copyOf(callingAeSubjects);
            if (!callingAeSubjects.isEmpty() && !clientCertificateRequired) {
                throw new IllegalArgumentException("spanner.listener.tls.calling-ae-subjects needs"
                        + " spanner.listener.tls.client-certificate-required: true (the rule reads the client"
                        + " certificate)");
            }
        }
    }

    /**
     * One line of the rule: the certificate subjects (distinguished names, RFC 2253, e.g. {@code
     * CN=modality-1,O=Hospital}) that may call as this AE title over TLS.
     */
    public record CallingAeSubjects(
            @NotBlank String aeTitle, @NotEmpty List<String> subjects) {

        public CallingAeSubjects {
            subjects = subjects == null ? List.of() : List.copyOf(subjects);
            for (String subject : subjects) {
                try {
                    new X500Principal(subject);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "spanner.listener.tls.calling-ae-subjects: '" + subject + "' (for " + aeTitle
                                    + ") is not a distinguished name: " + e.getMessage(),
                            e);
                }
            }
        }
    }

    /**
     * Limits per calling AE title, over both ports; beyond them a C-FIND is answered A700 and nothing is spanned.
     *
     * @param queriesPerSecond C-FINDs per second a calling AE may start (a burst of one second's worth); 0 = no limit
     * @param findsInFlight C-FINDs a calling AE may have running at once; 0 = no limit
     */
    public record CallingAeLimits(
            @DecimalMin("0") double queriesPerSecond,
            @Min(0) int findsInFlight) {}

    /**
     * @param requestsExchange exchange span requests are published to (Topology.REQUESTS_EXCHANGE)
     * @param requestsRoutingKey routing key of span requests: the coordinators' request queue
     * @param instanceId names this listener's answer queue ({@code spanner.answers.<id>}); empty = random per start
     * @param deadlineMargin added to the config's timeout: time for the coordinator to merge and answer after it
     * @param maxWait the longest a C-FIND is waited for, whatever its config's timeout
     * @param publishConfirmTimeout how long the broker may take to confirm a span request before A700
     * @param maxQueriesInFlight C-FINDs spanned at once by this listener; one more is answered A700
     * @param publishThreads threads that hand span requests to the broker (off the DICOM event loops)
     */
    public record Span(
            @NotBlank String requestsExchange,
            @NotBlank String requestsRoutingKey,
            String instanceId,
            @NotNull Duration deadlineMargin,
            @NotNull Duration maxWait,
            @NotNull Duration publishConfirmTimeout,
            @Min(1) int maxQueriesInFlight,
            @Min(1) int publishThreads) {

        public Span {
            if (instanceId == null || instanceId.isBlank()) {
                instanceId = UUID.randomUUID().toString();
            }
        }
    }
}
