package io.dicomspanner.gateway.console;

import io.dicomspanner.common.config.SpanningConfigRows;
import io.dicomspanner.common.config.SpanningSettings;
import io.dicomspanner.common.persistence.ReadReplica;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The spanning configs a console user may search: enabled ones, among those the key is allowed. */
@Component
class ConsoleConfigs {

    private static final RowMapper<SpanningSettings> ROW = (rs, n) -> SpanningConfigRows.read(rs);
    private static final String SELECT = "select " + SpanningConfigRows.COLUMNS + " from spanner_config ";

    private final JdbcClient jdbc;

    /** Reads through the {@link ReadReplica}, as searches find their configs. */
    ConsoleConfigs(ReadReplica replica) {
        this.jdbc = replica.jdbc();
    }

    List<SpanningSettings> usableBy(ConsoleUser user) {
        return jdbc.sql(SELECT + "where enabled order by name, id").query(ROW).list().stream()
                .filter(config -> user.key().access().allows(config.id()))
                .toList();
    }

    Optional<SpanningSettings> usable(ConsoleUser user, long id) {
        if (!user.key().access().allows(id)) {
            return Optional.empty();
        }
        return jdbc.sql(SELECT + "where id = :id")
                .param("id", id)
                .query(ROW)
                .optional()
                .filter(SpanningSettings::enabled);
    }
}
