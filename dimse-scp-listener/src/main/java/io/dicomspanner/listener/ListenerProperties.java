package io.dicomspanner.listener;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The listener's settings ({@code spanner.listener.*}); defaults in application.yaml, each described in
 * docs/configuration-listener.md.
 *
 * @param dicom the SCP: address, association limits, per-association limits
 * @param span how C-FINDs are handed to the coordinators
 * @param configRefresh how often the AE title → spanning config table is read again from PostgreSQL
 */
@Validated
@ConfigurationProperties("spanner.listener")
public record ListenerProperties(
        @Valid @NotNull Dicom dicom,
        @Valid @NotNull Span span,
        @NotNull Duration configRefresh) {

    /**
     * @param bindAddress address the SCP listens on
     * @param port DICOM port (0 picks a free one)
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
            @Min(1) int maxAssociations,
            @Min(1) int maxOperationsPerAssociation,
            @Min(4096) int maxPduLength,
            @NotNull Duration idleTimeout,
            @NotNull Duration artimTimeout,
            @Min(1) int eventLoopThreads) {}

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
