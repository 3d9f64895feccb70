package io.dicomspanner.gateway.config;

import io.dicomspanner.common.config.DeduplicationStrategy;
import io.dicomspanner.common.config.FailureStrategy;
import io.dicomspanner.gateway.persistence.WireEnumConverter;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A spanning configuration: which sources one query goes to, and how their answers become one. */
@Entity
@Table(name = "spanner_config")
public class SpannerConfig {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;
    private String description;
    private boolean enabled;
    private int maxConcurrentSources;
    private int timeoutSeconds;
    private int retryAttempts;

    @Convert(converter = FailureStrategyColumn.class)
    private FailureStrategy failureStrategy;

    private Integer minimumSuccessThreshold;
    private boolean deduplicationEnabled;

    @Convert(converter = DeduplicationStrategyColumn.class)
    private DeduplicationStrategy deduplicationStrategy;

    private int cacheTtlSeconds;
    private String scpAeTitle;

    @JdbcTypeCode(SqlTypes.ARRAY)
    private List<String> allowedCallingAeTitles = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.ARRAY)
    private List<String> includeLocations = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.ARRAY)
    private List<String> includeTags = new ArrayList<>();

    private boolean enterpriseMode;
    private long version;
    private Instant createdAt;
    private Instant updatedAt;

    protected SpannerConfig() {}

    SpannerConfig(Instant createdAt) {
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.version = 1;
    }

    void apply(SpannerConfigSettings settings) {
        this.name = settings.name();
        this.description = settings.description();
        this.enabled = settings.enabled();
        this.maxConcurrentSources = settings.maxConcurrentSources();
        this.timeoutSeconds = settings.timeoutSeconds();
        this.retryAttempts = settings.retryAttempts();
        this.failureStrategy = settings.failureStrategy();
        this.minimumSuccessThreshold = settings.minimumSuccessThreshold();
        this.deduplicationEnabled = settings.deduplicationEnabled();
        this.deduplicationStrategy = settings.deduplicationStrategy();
        this.cacheTtlSeconds = settings.cacheTtlSeconds();
        this.scpAeTitle = settings.scpAeTitle();
        this.allowedCallingAeTitles = new ArrayList<>(settings.allowedCallingAeTitles());
        this.includeLocations = new ArrayList<>(settings.includeLocations());
        this.includeTags = new ArrayList<>(settings.includeTags());
        this.enterpriseMode = true;
    }

    /** Marks an edit of the config or of its mappings: a new version, so cached answers of the old one go unused. */
    void edited(Instant now) {
        this.version++;
        this.updatedAt = now;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public int getMaxConcurrentSources() {
        return maxConcurrentSources;
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    public int getRetryAttempts() {
        return retryAttempts;
    }

    public FailureStrategy getFailureStrategy() {
        return failureStrategy;
    }

    public Integer getMinimumSuccessThreshold() {
        return minimumSuccessThreshold;
    }

    public boolean isDeduplicationEnabled() {
        return deduplicationEnabled;
    }

    public DeduplicationStrategy getDeduplicationStrategy() {
        return deduplicationStrategy;
    }

    public int getCacheTtlSeconds() {
        return cacheTtlSeconds;
    }

    public String getScpAeTitle() {
        return scpAeTitle;
    }

    public List<String> getAllowedCallingAeTitles() {
        return List.copyOf(allowedCallingAeTitles);
    }

    public List<String> getIncludeLocations() {
        return List.copyOf(includeLocations);
    }

    public List<String> getIncludeTags() {
        return List.copyOf(includeTags);
    }

    public boolean isEnterpriseMode() {
        return enterpriseMode;
    }

    public long getVersion() {
        return version;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public static class FailureStrategyColumn extends WireEnumConverter<FailureStrategy> {
        public FailureStrategyColumn() {
            super(FailureStrategy.class);
        }
    }

    public static class DeduplicationStrategyColumn extends WireEnumConverter<DeduplicationStrategy> {
        public DeduplicationStrategyColumn() {
            super(DeduplicationStrategy.class);
        }
    }
}
