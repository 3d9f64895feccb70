package io.dicomspanner.listener.aetitle;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    private static final String SELECT = """
            select id, scp_ae_title, enabled, allowed_calling_ae_titles, timeout_seconds
            from spanner_config where scp_ae_title is not null
            """;

    private final JdbcClient jdbc;
    private final AtomicReference<Map<String, ScpConfig>> byAeTitle = new AtomicReference<>(Map.of());

    public ScpConfigs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The config the listener answers under this called AE title, enabled or not. */
    public Optional<ScpConfig> byAeTitle(String calledAeTitle) {
        return Optional.ofNullable(byAeTitle.get().get(calledAeTitle));
    }

    /** Reads the table again; on failure keeps the snapshot in force. Runs at start and every config-refresh. */
    @Scheduled(fixedDelayString = "${spanner.listener.config-refresh}")
    public void refresh() {
        try {
            Map<String, ScpConfig> configs = new HashMap<>();
            for (ScpConfig config : jdbc.sql(SELECT).query(ScpConfigs::row).list()) {
                configs.put(config.aeTitle(), config);
            }
            Map<String, ScpConfig> previous = byAeTitle.getAndSet(Map.copyOf(configs));
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

    private static ScpConfig row(ResultSet rs, int rowNum) throws SQLException {
        Array allowed = rs.getArray("allowed_calling_ae_titles");
        Set<String> callers = allowed == null ? Set.of() : Set.of((String[]) allowed.getArray());
        return new ScpConfig(
                rs.getLong("id"),
                rs.getString("scp_ae_title"),
                rs.getBoolean("enabled"),
                callers,
                rs.getInt("timeout_seconds"));
    }
}
