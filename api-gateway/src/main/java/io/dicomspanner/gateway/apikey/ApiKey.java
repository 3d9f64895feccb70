package io.dicomspanner.gateway.apikey;

import io.dicomspanner.common.wire.WireEnum;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An API key as stored: its SHA-256 hash, never the key itself. */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;
    private String lookupId;
    private byte[] keyHash;

    @JdbcTypeCode(SqlTypes.ARRAY)
    private List<String> scopes = new ArrayList<>();

    /** The spanning configs this key may search; empty: all. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    private List<Long> allowedConfigIds = new ArrayList<>();

    /** Null: the gateway's default; 0: unlimited. */
    private Integer queriesPerSecond;

    /** Null: the gateway's default; 0: unlimited. */
    private Integer queriesInFlight;

    private Instant createdAt;
    private String createdBy;
    private Instant lastUsedAt;
    private Instant revokedAt;
    private String revokedBy;

    protected ApiKey() {}

    ApiKey(String name, byte[] keyHash, Set<ApiKeyScope> scopes, Instant createdAt, String createdBy) {
        this.name = name;
        this.keyHash = keyHash.clone();
        this.lookupId = ApiKeySecrets.lookupId(keyHash);
        this.scopes =
                new ArrayList<>(scopes.stream().sorted().map(ApiKeyScope::wire).toList());
        this.createdAt = createdAt;
        this.createdBy = createdBy;
    }

    void limit(KeyAccess access) {
        this.allowedConfigIds = new ArrayList<>(access.allowedConfigIds());
        this.queriesPerSecond = access.queriesPerSecond();
        this.queriesInFlight = access.queriesInFlight();
    }

    KeyAccess access() {
        return new KeyAccess(List.copyOf(allowedConfigIds), queriesPerSecond, queriesInFlight);
    }

    void revoke(Instant now, String by) {
        this.revokedAt = now;
        this.revokedBy = by;
    }

    boolean isRevoked() {
        return revokedAt != null;
    }

    byte[] keyHash() {
        return keyHash.clone();
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public Set<ApiKeyScope> getScopes() {
        Set<ApiKeyScope> set = EnumSet.noneOf(ApiKeyScope.class);
        scopes.forEach(wire -> set.add(WireEnum.fromWire(ApiKeyScope.class, wire)));
        return set;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getLastUsedAt() {
        return lastUsedAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    public String getRevokedBy() {
        return revokedBy;
    }
}
