package io.dicomspanner.common.config;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads {@link SpanningSettings} from a row of the {@code spanner_config} table (owned by the api-gateway), for every
 * service that reads that table: the gateway (which config a search names), the listener (which config an SCP AE title
 * names) and the coordinator (how a query is spanned).
 *
 * <p>Mapped by hand, column by name: the gateway reads a config on every search, and a reflective row mapper cost 4 %
 * of its CPU under load.
 */
public final class SpanningConfigRows {

    /** The columns {@link #read} needs, unqualified: select them {@code from spanner_config}. */
    public static final String COLUMNS = """
            id, version, name, enabled, max_concurrent_sources, timeout_seconds, retry_attempts, failure_strategy,
            minimum_success_threshold, deduplication_enabled, deduplication_strategy, cache_ttl_seconds, scp_ae_title,
            allowed_calling_ae_titles""";

    private SpanningConfigRows() {}

    /**
     * The settings of the current row.
     *
     * @throws IllegalArgumentException if a strategy column holds a value no strategy has (the schema's checks prevent
     *     it)
     */
    public static SpanningSettings read(ResultSet rs) throws SQLException {
        return new SpanningSettings(
                rs.getLong("id"),
                rs.getLong("version"),
                rs.getString("name"),
                rs.getBoolean("enabled"),
                rs.getInt("max_concurrent_sources"),
                rs.getInt("timeout_seconds"),
                rs.getInt("retry_attempts"),
                FailureStrategy.ofWire(rs.getString("failure_strategy")),
                rs.getInt("minimum_success_threshold"),
                new MergePolicy(
                        DeduplicationStrategy.ofWire(rs.getString("deduplication_strategy")),
                        rs.getBoolean("deduplication_enabled")),
                rs.getInt("cache_ttl_seconds"),
                rs.getString("scp_ae_title"),
                strings(rs.getArray("allowed_calling_ae_titles")));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
