package io.dicomspanner.gateway.querylog;

import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.querylog.QueryLogStatus;
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
 * A row of {@code query_log} as JPA maps it, for the query-log API to read; the API shows it as a
 * {@link QueryLogRecord}. Rows are inserted by the common {@code QueryLogWriter} from a {@code QueryLogEntry} (the
 * coordinator's queries, and the gateway's own cache hits). Filters are stored as {@code PhiTokenizer.tokenizeFilters}
 * made them: patient attributes as tokens, never in clear text.
 */
@Entity
@Table(name = "query_log")
public class QueryLogRow implements Persistable<UUID> {

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

    @Convert(converter = QueryLogStatusColumn.class)
    private QueryLogStatus status;

    private String error;

    /** Ids are the coordinator's query ids, assigned before the insert; this tells Spring Data to insert. */
    @Transient
    private boolean isNew;

    protected QueryLogRow() {}

    /** A new row; {@code tokenizedFilters} must already hold tokens in place of PHI values. */
    public QueryLogRow(QueryLogRecord record) {
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

    public static class QueryLogStatusColumn extends WireEnumConverter<QueryLogStatus> {
        public QueryLogStatusColumn() {
            super(QueryLogStatus.class);
        }
    }
}
