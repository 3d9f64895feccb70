package io.dicomspanner.listener.aetitle;

import io.dicomspanner.common.config.SpanningConfigRows;
import io.dicomspanner.common.config.SpanningSettings;
import io.dicomspanner.common.persistence.ReadReplica;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The spanning configs by SCP AE title, read from the gateway's {@code spanner_config} table (read-only; the schema
 * module owns it) and held in memory, read again every {@code config-refresh}.
 *
 * <p>Why a snapshot rather than a look-up per association: the association filter runs on a DICOM event loop, which
 * must not wait for PostgreSQL, and a flood of associations must not become a flood of queries. A config edited in the
 * admin API is seen within {@code config-refresh}. If PostgreSQL cannot be read, the last snapshot stays in force.
 */
@Component
public class ScpConfigs {

    private static final Logger log = LoggerFactory.getLogger(ScpConfigs.class);

    private static final String SELECT =
            "select " + SpanningConfigRows.COLUMNS + " from spanner_config where scp_ae_title is not null";

    private final JdbcClient jdbc;
    private final AtomicReference<Map<String, SpanningSettings>> byAeTitle = new AtomicReference<>(Map.of());

    /** Reads through the {@link ReadReplica}, so that a replica keeps the snapshot fresh while the primary is away. */
    public ScpConfigs(ReadReplica replica) {
        this.jdbc = replica.jdbc();
    }

    /** The config the listener answers under this called AE title, enabled or not. */
    public Optional<SpanningSettings> byAeTitle(String calledAeTitle) {
        return Optional.ofNullable(byAeTitle.get().get(calledAeTitle));
    }

    /** Reads the table again; on failure keeps the snapshot in force. Runs at start and every config-refresh. */
    @Scheduled(fixedDelayString = "${spanner.listener.config-refresh}")
    public void refresh() {
        try {
            Map<String, SpanningSettings> configs = new HashMap<>();
            for (SpanningSettings config : jdbc.sql(SELECT)
                    .query((rs, row) -> SpanningConfigRows.read(rs))
                    .list()) {
                configs.put(config.scpAeTitle(), config);
            }
            Map<String, SpanningSettings> previous = byAeTitle.getAndSet(Map.copyOf(configs));
            if (!previous.keySet().equals(configs.keySet())) {
                log.info("Answering as AE titles {}", configs.keySet());
            }
        } catch (DataAccessException e) {
            log.warn(
                    "Spanning configs not refreshed, keeping {} known: {}",
                    byAeTitle.get().size(),
                    e.getMessage());
        }
    }
}
