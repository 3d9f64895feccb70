package io.dicomspanner.gateway.qido;

import io.dicomspanner.common.config.SpanningConfigRows;
import io.dicomspanner.common.config.SpanningSettings;
import io.dicomspanner.common.persistence.ReadReplica;
import io.dicomspanner.gateway.audit.AdminChanged;
import io.dicomspanner.gateway.error.InvalidRequestException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Finds the spanner config a search names, by id or by its exact name, and refuses unknown or disabled ones. A config
 * found by id is kept for {@code spanner.qido.config-cache-ttl} (a database round trip less per search); every
 * audited admin change in this gateway drops the copies once committed, so this gateway sees its own edits at once and
 * other instances' within the TTL.
 */
@Component
class SpanningConfigs {

    /**
     * Mapped by hand ({@link SpanningConfigRows}): the reflective row mapper cost 4 % of the gateway's CPU under load
     * (every search).
     */
    private static final RowMapper<SpanningSettings> ROW = (rs, n) -> SpanningConfigRows.read(rs);

    private static final String SELECT = "select " + SpanningConfigRows.COLUMNS + " from spanner_config ";

    private record Kept(SpanningSettings row, long readAtNanos) {}

    private final JdbcClient jdbc;
    private final long ttlNanos;
    /** Existing configs only (an unknown id is read again each time), so it holds at most every config once. */
    private final Map<Long, Kept> kept = new ConcurrentHashMap<>();
    /** Bumped by every admin change: a config read before it is not kept. */
    private final AtomicLong generation = new AtomicLong();

    /** Reads through the {@link ReadReplica}: queries go on finding their configs while the primary is away. */
    SpanningConfigs(ReadReplica replica, QidoProperties properties) {
        this.jdbc = replica.jdbc();
        this.ttlNanos = properties.configCacheTtl().toNanos();
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void adminChanged(AdminChanged change) {
        generation.incrementAndGet();
        kept.clear();
    }

    /** The config with this id ({@code spanner_config_id}); 400 naming {@code parameter} if there is none usable. */
    SpanningSettings byId(long id, String parameter) {
        return usable(byId(id), parameter);
    }

    /**
     * The config a DICOMweb path names: digits are an id (or, failing that, a name made of digits), anything else
     * the exact, case-sensitive name.
     */
    SpanningSettings byIdOrName(String idOrName, String parameter) {
        Optional<SpanningSettings> row = Optional.empty();
        if (!idOrName.isEmpty() && idOrName.length() <= 18 && idOrName.chars().allMatch(Character::isDigit)) {
            row = byId(Long.parseLong(idOrName));
        }
        if (row.isEmpty()) {
            row = jdbc.sql(SELECT + "where name = :name")
                    .param("name", idOrName)
                    .query(ROW)
                    .optional();
        }
        return usable(row, parameter);
    }

    private Optional<SpanningSettings> byId(long id) {
        long now = System.nanoTime();
        Kept k = kept.get(id);
        if (k != null && now - k.readAtNanos() < ttlNanos) {
            return Optional.of(k.row());
        }
        long readIn = generation.get();
        Optional<SpanningSettings> row =
                jdbc.sql(SELECT + "where id = :id").param("id", id).query(ROW).optional();
        if (ttlNanos > 0 && row.isPresent()) {
            kept.put(id, new Kept(row.get(), now));
            if (generation.get() != readIn) {
                kept.remove(id); // an admin change committed meanwhile: the row may predate it
            }
        }
        return row;
    }

    private static SpanningSettings usable(Optional<SpanningSettings> row, String parameter) {
        SpanningSettings config =
                row.orElseThrow(() -> new InvalidRequestException(parameter, "names no spanner config"));
        if (!config.enabled()) {
            throw new InvalidRequestException(parameter, "names a disabled spanner config");
        }
        return config;
    }
}
