package io.dicomspanner.gateway.health;

import io.dicomspanner.common.messaging.EchoRequest;
import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceEndpointRows;
import io.dicomspanner.common.messaging.SourceHealth;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.gateway.error.NotFoundException;
import io.dicomspanner.gateway.span.ConfirmedPublisher;
import io.dicomspanner.gateway.span.QueryStore;
import io.dicomspanner.gateway.span.SpanProperties;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;

/**
 * The C-ECHO health of DICOM sources as the workers record it in Redis ({@link RedisKeys#sourceHealth}, a
 * {@link SourceHealth}), and the on-demand echo handed to a source's workers: what the health API and the console
 * show and do.
 */
@Service
public class SourceHealthService {

    private static final Logger log = LoggerFactory.getLogger(SourceHealthService.class);

    private final JdbcClient jdbc;
    private final QueryStore store;
    private final MessageCodec codec = MessageCodec.instance();
    private final ConfirmedPublisher publisher;
    private final SpanProperties properties;
    private final Clock clock;

    SourceHealthService(
            JdbcClient jdbc, QueryStore store, ConfirmedPublisher publisher, SpanProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.store = store;
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The source as the workers see it.
     *
     * @throws NotFoundException when there is no such source
     */
    public SourceEndpoint source(long id) {
        return jdbc.sql("select " + SourceEndpointRows.COLUMNS + " from dicom_source s where s.id = :id")
                .param("id", id)
                .query((rs, row) -> SourceEndpointRows.read(rs))
                .optional()
                .orElseThrow(() -> new NotFoundException("DICOM source", id));
    }

    /** The last echo recorded for the source; empty when none is (or the entry cannot be read). */
    public Optional<SourceHealth> recorded(long sourceId) {
        String recorded = store.read(RedisKeys.sourceHealth(sourceId)).orElse(null);
        if (recorded == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(codec.read(recorded, SourceHealth.class));
        } catch (JacksonException e) {
            log.warn(
                    "Health entry of source {} is not a source health, shown as unknown: {}", sourceId, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Asks the workers of the source for a C-ECHO now; its outcome is recorded by the first check that starts at or
     * after the request's {@link EchoRequest#requestedEpochMillis() time}.
     *
     * @param requestedBy who asked, as the audit trail names them ({@code api-key:...})
     * @throws NotFoundException when there is no such source
     * @throws io.dicomspanner.gateway.error.ServiceProblemException 503 when no worker serves the source
     */
    public EchoRequest requestEcho(long sourceId, String requestedBy) {
        SourceEndpoint source = source(sourceId);
        EchoRequest echo = new EchoRequest(
                UUID.randomUUID().toString(),
                source.sourceId(),
                requestedBy,
                clock.instant().toEpochMilli());
        publisher.publish(
                properties.healthEchoExchange(),
                Topology.healthEchoRoutingKey(source.sourceId()),
                echo,
                echo.requestId(),
                null,
                "No worker serves source " + source.sourceId());
        return echo;
    }
}
