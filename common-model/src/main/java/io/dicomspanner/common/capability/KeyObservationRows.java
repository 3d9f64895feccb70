package io.dicomspanner.common.capability;

import io.dicomspanner.common.wire.WireEnum;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads and writes the table {@code source_key_observation}: one row per source and key, the newest
 * {@link KeyObservation}. Every service that observes (the worker learning from answers and running probes) or shows
 * (the gateway) goes through here, so that a change to what a source must have verified also gives every config that
 * maps the source a new version: the coordinator reloads a config's sources only then, and cached answers of the old
 * version are no longer used.
 */
public final class KeyObservationRows {

    /**
     * SQL condition on an observation row aliased {@code o} under which the key is verified by the worker:
     * {@link KeyObservation#needsVerification()}.
     */
    public static final String VERIFIED_KEYS = "(o.matched is false or (o.matched is null and o.returned is false))";

    private static final String COLUMNS = "source_id, keyword, matched, returned, origin, observed_at, evidence";

    private final JdbcClient jdbc;

    public KeyObservationRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The observations of one source, by keyword. */
    public List<KeyObservation> of(long sourceId) {
        return jdbc.sql("select " + COLUMNS + " from source_key_observation where source_id = ? order by keyword")
                .param(sourceId)
                .query((rs, row) -> read(rs))
                .list();
    }

    /**
     * The observations of several sources in one query (a page of sources), by source and keyword; an empty
     * collection asks nothing.
     */
    public List<KeyObservation> ofSources(Collection<Long> sourceIds) {
        if (sourceIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS
                        + " from source_key_observation where source_id = any(?) order by source_id, keyword")
                .param(sourceIds.toArray(Long[]::new))
                .query((rs, row) -> read(rs))
                .list();
    }

    /** The observation of one key of one source, if any. */
    public java.util.Optional<KeyObservation> of(long sourceId, String keyword) {
        return jdbc.sql("select " + COLUMNS + " from source_key_observation where source_id = ? and keyword = ?")
                .param(sourceId)
                .param(keyword)
                .query((rs, row) -> read(rs))
                .optional();
    }

    /**
     * Stores {@code observation} as the newest of its key, replacing any older one. A source that no longer exists is
     * not an error: nothing is stored.
     *
     * @return whether that changed whether the key is verified by the worker (the configs mapping the source then have
     *     a new version)
     */
    public boolean record(KeyObservation observation) {
        boolean before = of(observation.sourceId(), observation.keyword())
                .map(KeyObservation::needsVerification)
                .orElse(false);
        int stored = jdbc.sql("""
                        insert into source_key_observation (%s)
                        select :source, :keyword, :matched, :returned, :origin, :observedAt, :evidence
                         where exists (select 1 from dicom_source where id = :source)
                        on conflict (source_id, keyword) do update
                           set matched = excluded.matched, returned = excluded.returned, origin = excluded.origin,
                               observed_at = excluded.observed_at, evidence = excluded.evidence
                        """.formatted(COLUMNS))
                .param("source", observation.sourceId())
                .param("keyword", observation.keyword())
                .param("matched", observation.matched())
                .param("returned", observation.returned())
                .param("origin", observation.origin().wire())
                .param("observedAt", Timestamp.from(observation.observedAt()))
                .param("evidence", observation.evidence())
                .update();
        boolean changed = stored > 0 && before != observation.needsVerification();
        if (changed) {
            newConfigVersions(observation.sourceId());
        }
        return changed;
    }

    /**
     * Forgets what was observed of one key of one source (an operator's correction, or before a new probe).
     *
     * @return whether there was an observation
     */
    public boolean forget(long sourceId, String keyword) {
        boolean verified =
                of(sourceId, keyword).map(KeyObservation::needsVerification).orElse(false);
        int deleted = jdbc.sql("delete from source_key_observation where source_id = ? and keyword = ?")
                .param(sourceId)
                .param(keyword)
                .update();
        if (verified && deleted > 0) {
            newConfigVersions(sourceId);
        }
        return deleted > 0;
    }

    private void newConfigVersions(long sourceId) {
        jdbc.sql("""
                        update spanner_config c set version = version + 1, updated_at = now()
                         where id in (select config_id from source_mapping
                                       where source_type in ('modality', 'dicomweb') and source_id = :source)
                            or exists (select 1 from dicom_source s
                                        where s.id = :source
                                          and (s.location = any(c.include_locations) or s.tags && c.include_tags))
                        """).param("source", sourceId).update();
    }

    private static KeyObservation read(ResultSet rs) throws SQLException {
        return new KeyObservation(
                rs.getLong("source_id"),
                rs.getString("keyword"),
                (Boolean) rs.getObject("matched"),
                (Boolean) rs.getObject("returned"),
                WireEnum.fromWire(KeyObservation.Origin.class, rs.getString("origin")),
                rs.getTimestamp("observed_at").toInstant(),
                rs.getString("evidence"));
    }
}
