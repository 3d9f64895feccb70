package io.dicomspanner.gateway.config;

import io.dicomspanner.gateway.persistence.WireEnumConverter;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One source a spanner config asks, with the priority and overrides it asks it with. */
@Entity
@Table(name = "source_mapping")
public class SourceMapping {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private long configId;

    @Convert(converter = SourceTypeColumn.class)
    private SourceType sourceType;

    private long sourceId;
    private int priority;
    private Integer timeoutOverride;
    private boolean enabled;

    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> additionalQueryFilters = new LinkedHashMap<>();

    private Instant createdAt;
    private Instant updatedAt;

    protected SourceMapping() {}

    SourceMapping(long configId, Instant createdAt) {
        this.configId = configId;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    void apply(SourceMappingSettings settings, Instant now) {
        this.sourceType = settings.sourceType();
        this.sourceId = settings.sourceId();
        this.priority = settings.priority();
        this.timeoutOverride = settings.timeoutOverride();
        this.enabled = settings.enabled();
        this.additionalQueryFilters = new LinkedHashMap<>(settings.additionalQueryFilters());
        this.updatedAt = now;
    }

    public Long getId() {
        return id;
    }

    public long getConfigId() {
        return configId;
    }

    public SourceType getSourceType() {
        return sourceType;
    }

    public long getSourceId() {
        return sourceId;
    }

    public int getPriority() {
        return priority;
    }

    public Integer getTimeoutOverride() {
        return timeoutOverride;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public Map<String, String> getAdditionalQueryFilters() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(additionalQueryFilters));
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public static class SourceTypeColumn extends WireEnumConverter<SourceType> {
        public SourceTypeColumn() {
            super(SourceType.class);
        }
    }
}
