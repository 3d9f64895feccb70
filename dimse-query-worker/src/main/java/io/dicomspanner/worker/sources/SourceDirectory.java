package io.dicomspanner.worker.sources;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceEndpointRows;
import io.dicomspanner.common.persistence.ReadReplica;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The DICOM sources as the api-gateway keeps them ({@code dicom_source}), only read here: the worker learns from it
 * which sources exist and how to reach them, so it can serve every source without a list and echo a source before any
 * task for it has arrived.
 */
@Repository
public class SourceDirectory {

    private final JdbcClient jdbc;

    /** Reads through the {@link ReadReplica}: the directory is only read here, and a replica keeps it readable. */
    public SourceDirectory(ReadReplica replica) {
        this.jdbc = replica.jdbc();
    }

    /** The ids of the enabled sources of one of these locations or carrying one of these tags, in id order. */
    public Set<Long> enabledSourcesIn(List<String> locations, List<String> tags) {
        return new LinkedHashSet<>(jdbc.sql("""
                        select s.id from dicom_source s
                         where s.enabled and (s.location = any(cast(? as text[])) or s.tags && cast(? as text[]))
                         order by s.id
                        """)
                .param(locations.toArray(String[]::new))
                .param(tags.toArray(String[]::new))
                .query(Long.class)
                .list());
    }

    /** Every enabled source by id, in id order. */
    public Map<Long, SourceEndpoint> enabledSources() {
        Map<Long, SourceEndpoint> sources = new LinkedHashMap<>();
        jdbc.sql("select " + SourceEndpointRows.COLUMNS + " from dicom_source s where s.enabled order by s.id")
                .query((rs, row) -> SourceEndpointRows.read(rs))
                .list()
                .forEach(source -> sources.put(source.sourceId(), source));
        return sources;
    }
}
