package io.dicomspanner.gateway.querylog;

import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.gateway.persistence.WireEnumConverter;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.springframework.data.domain.Persistable;

/**
 * One spanning query, as the coordinator logs it. Filters are stored as {@code PhiTokenizer.tokenizeFilters} made
 * them: patient attributes as tokens, never in clear text.
 */
@Entity
@Table(name = "query_log")
public class QueryLogEntry implements Persistable<UUID> {

    @Id
    private UUID id;

    private Instant startedAt;
    private Long configId;
    private Long configVersion;

    @Convert(converter = QueryLevelColumn.class)
    private QueryLevel queryLevel;

    @Convert(converter = EntryPointColumn.class)
    private EntryPoint entryPoint;

    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> tokenizedFilters = new LinkedHashMap<>();

    private Long callerApiKeyId;
    private String callerAeTitle;
    private String callerAddress;
    private int sourcesAsked;
    private int sourcesAnswered;
    private int sourcesFailed;
    private int matchesBeforeDedup;
    private int matchesAfterDedup;
    private long durationMs;

    @Convert(converter = QueryStatusColumn.class)
    private QueryStatus status;

    private String error;

    /** Ids are the coordinator's query ids, assigned before the insert; this tells Spring Data to insert. */
    @Transient
    private boolean isNew;

    protected QueryLogEntry() {}

    /** A new entry; {@code tokenizedFilters} must already hold tokens in place of PHI values. */
    public QueryLogEntry(QueryLogRecord record) {
        this.id = record.id();
        this.startedAt = record.startedAt();
        this.configId = record.configId();
        this.configVersion = record.configVersion();
        this.queryLevel = record.queryLevel();
        this.entryPoint = record.entryPoint();
        this.tokenizedFilters = new LinkedHashMap<>(record.tokenizedFilters());
        this.callerApiKeyId = record.callerApiKeyId();
        this.callerAeTitle = record.callerAeTitle();
        this.callerAddress = record.callerAddress();
        this.sourcesAsked = record.sourcesAsked();
        this.sourcesAnswered = record.sourcesAnswered();
        this.sourcesFailed = record.sourcesFailed();
        this.matchesBeforeDedup = record.matchesBeforeDedup();
        this.matchesAfterDedup = record.matchesAfterDedup();
        this.durationMs = record.durationMs();
        this.status = record.status();
        this.error = record.error();
        this.isNew = true;
    }

    @PostLoad
    @PostPersist
    void stored() {
        this.isNew = false;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @Override
    public UUID getId() {
        return id;
    }

    public QueryLogRecord toRecord() {
        return new QueryLogRecord(
                id,
                startedAt,
                configId,
                configVersion,
                queryLevel,
                entryPoint,
                Collections.unmodifiableMap(new LinkedHashMap<>(tokenizedFilters)),
                callerApiKeyId,
                callerAeTitle,
                callerAddress,
                sourcesAsked,
                sourcesAnswered,
                sourcesFailed,
                matchesBeforeDedup,
                matchesAfterDedup,
                durationMs,
                status,
                error);
    }

    public static class QueryLevelColumn extends WireEnumConverter<QueryLevel> {
        public QueryLevelColumn() {
            super(QueryLevel.class);
        }
    }

    public static class EntryPointColumn extends WireEnumConverter<EntryPoint> {
        public EntryPointColumn() {
            super(EntryPoint.class);
        }
    }

    public static class QueryStatusColumn extends WireEnumConverter<QueryStatus> {
        public QueryStatusColumn() {
            super(QueryStatus.class);
        }
    }
}
