package io.dicomspanner.gateway.apikey;

import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.audit.AuditAction;
import io.dicomspanner.gateway.audit.AuditTrail;
import io.dicomspanner.gateway.audit.AuditedEntity;
import io.dicomspanner.gateway.error.ConflictException;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.error.NotFoundException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Creates, lists, revokes and checks API keys. Key operations are audited; keys themselves never are. */
@Service
public class ApiKeyService {

    static final String WHAT = "API key";
    /** Longer than any key this gateway makes or accepts; longer headers are refused before any hashing. */
    static final int MAX_KEY_LENGTH = 512;

    private static final Logger log = LoggerFactory.getLogger(ApiKeyService.class);
    /** Serialises bootstrap registration between gateways starting together (an arbitrary, fixed lock id). */
    private static final long BOOTSTRAP_LOCK = 0x6471735f626f6f74L;

    private final ApiKeyRepository keys;
    private final AuditTrail auditTrail;
    private final ApiKeyProperties properties;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final VerifiedKeyCache verified;
    private final KeyUseRecorder uses;
    /** Set while key lookups fail for want of the database: the fallback is logged once per outage. */
    private final AtomicBoolean databaseAway = new AtomicBoolean();

    ApiKeyService(
            ApiKeyRepository keys,
            AuditTrail auditTrail,
            ApiKeyProperties properties,
            JdbcClient jdbc,
            Clock clock,
            VerifiedKeyCache verified,
            KeyUseRecorder uses) {
        this.keys = keys;
        this.auditTrail = auditTrail;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock;
        this.verified = verified;
        this.uses = uses;
    }

    /** Makes a new key; the answer holds the key itself, which is not stored and cannot be shown again. */
    @Transactional
    public CreatedApiKeyResponse create(ApiKeyRequest request, Actor actor) {
        String name = request.name().strip();
        if (keys.existsByNameIgnoreCaseAndRevokedAtIsNull(name)) {
            throw new ConflictException("An active API key named '" + name + "' exists already");
        }
        KeyAccess access = checked(request.access());
        String key = ApiKeySecrets.newKey();
        ApiKey stored = store(name, key, request.scopeSet(), access, actor);
        log.info(
                "API key {} '{}' with scopes {} created by {}", stored.getId(), name, stored.getScopes(), actor.name());
        return new CreatedApiKeyResponse(
                stored.getId(),
                name,
                stored.getScopes(),
                access.allowedConfigIds(),
                access.queriesPerSecond(),
                access.queriesInFlight(),
                stored.getCreatedAt(),
                key);
    }

    /**
     * Replaces what a key may see and how fast it may ask; audited with before and after. Applies on this gateway at
     * once, on others once their verification cache entry expires. A revoked key may not be changed.
     */
    @Transactional
    public ApiKeyResponse limit(long id, ApiKeyAccessRequest request, Actor actor) {
        ApiKey key = find(id);
        if (key.isRevoked()) {
            throw new ConflictException("API key " + id + " is revoked");
        }
        KeyAccess access = checked(request);
        ApiKeyResponse before = ApiKeyResponse.of(key);
        key.limit(access);
        evictWhenCommitted(id);
        ApiKeyResponse after = ApiKeyResponse.of(key);
        auditTrail.record(actor, AuditedEntity.API_KEY, id, AuditAction.UPDATED, before, after);
        log.info(
                "API key {} limited to configs {} at {}/s and {} in flight by {}",
                id,
                access.allowedConfigIds().isEmpty() ? "all" : access.allowedConfigIds(),
                access.queriesPerSecond() == null ? "default" : access.queriesPerSecond(),
                access.queriesInFlight() == null ? "default" : access.queriesInFlight(),
                actor.name());
        return after;
    }

    /** The access as stored; 400 naming {@code allowed_config_ids[i]} for each id that names no spanner config. */
    private KeyAccess checked(ApiKeyAccessRequest request) {
        List<Long> ids = request.allowedConfigIds() == null ? List.of() : request.allowedConfigIds();
        if (!ids.isEmpty()) {
            Set<Long> existing = new HashSet<>(jdbc.sql("select id from spanner_config where id in (:ids)")
                    .param("ids", ids)
                    .query(Long.class)
                    .list());
            InvalidRequestException.Collector problems = new InvalidRequestException.Collector();
            for (int i = 0; i < ids.size(); i++) {
                if (!existing.contains(ids.get(i))) {
                    problems.add("allowed_config_ids[" + i + "]", "names no spanner config");
                }
            }
            problems.throwIfAny();
        }
        return request.toAccess();
    }

    @Transactional(readOnly = true)
    public Page<ApiKeyResponse> list(Pageable pageable) {
        return keys.findAll(pageable).map(ApiKeyResponse::of);
    }

    @Transactional(readOnly = true)
    public ApiKeyResponse get(long id) {
        return ApiKeyResponse.of(find(id));
    }

    /**
     * Revokes a key; it fails authentication on this gateway from then on, on others once their verification cache
     * entry expires. Revoking a revoked key changes nothing. The last active admin key cannot be revoked: nobody could
     * manage keys over HTTP afterwards.
     */
    @Transactional
    public ApiKeyResponse revoke(long id, Actor actor) {
        ApiKey key = find(id);
        if (key.isRevoked()) {
            return ApiKeyResponse.of(key);
        }
        if (key.getScopes().contains(ApiKeyScope.ADMIN) && keys.countActiveAdminKeysOtherThan(id) == 0) {
            throw new ConflictException("API key " + id + " is the last active admin key; create another first");
        }
        ApiKeyResponse before = ApiKeyResponse.of(key);
        key.revoke(clock.instant(), actor.name());
        evictWhenCommitted(id);
        ApiKeyResponse after = ApiKeyResponse.of(key);
        auditTrail.record(actor, AuditedEntity.API_KEY, id, AuditAction.REVOKED, before, after);
        log.info("API key {} '{}' revoked by {}", id, key.getName(), actor.name());
        return after;
    }

    /**
     * The active key that {@code presented} is, if any; notes its use. Not transactional: a key verified within the
     * verification cache's TTL needs no database connection at all.
     */
    public Optional<AuthenticatedKey> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        byte[] hash = ApiKeySecrets.hash(presented);
        // The map lookup by hash is not constant-time; it leaks only how a SHA-256 compares, which an attacker cannot
        // steer towards a key. The database path still compares with sameHash.
        String cacheKey = HexFormat.of().formatHex(hash);
        Optional<AuthenticatedKey> key = verified.get(cacheKey);
        if (key.isEmpty()) {
            long generation = verified.generation();
            try {
                key = findActive(hash);
            } catch (DataAccessException | TransactionException e) {
                // the database is away: a key verified a while ago still vouches for itself, for a bounded time
                Optional<AuthenticatedKey> stale = verified.stale(cacheKey);
                if (stale.isEmpty()) {
                    throw e;
                }
                if (databaseAway.compareAndSet(false, true)) {
                    log.warn(
                            "API keys cannot be verified in the database ({}); accepting keys verified within"
                                    + " trusted-while-database-unavailable",
                            e.getClass().getSimpleName());
                }
                return stale;
            }
            databaseAway.set(false);
            key.ifPresent(found -> verified.put(cacheKey, found, generation));
        }
        key.ifPresent(found -> uses.used(cacheKey, found.id(), clock.instant()));
        return key;
    }

    private Optional<AuthenticatedKey> findActive(byte[] hash) {
        ApiKey match = null;
        for (ApiKey candidate : keys.findByLookupId(ApiKeySecrets.lookupId(hash))) {
            if (ApiKeySecrets.sameHash(hash, candidate.keyHash())) {
                match = candidate;
            }
        }
        if (match == null || match.isRevoked()) {
            return Optional.empty();
        }
        return Optional.of(new AuthenticatedKey(match.getId(), match.getName(), match.getScopes(), match.access()));
    }

    /** What {@link #registerBootstrapKey} did. */
    public enum BootstrapOutcome {
        REGISTERED,
        ALREADY_REGISTERED,
        /** The key was registered once and has been revoked since; it stays revoked. */
        REVOKED_EARLIER,
        ADMIN_KEY_EXISTS
    }

    /**
     * Registers an operator-chosen admin key, named {@code bootstrap}, unless an admin key exists already. Gateways
     * starting together take turns, so only one registers it.
     */
    @Transactional
    public BootstrapOutcome registerBootstrapKey(String key) {
        if (key.length() < properties.bootstrapKeyMinLength() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("The bootstrap API key must have " + properties.bootstrapKeyMinLength()
                    + " to " + MAX_KEY_LENGTH + " characters");
        }
        jdbc.sql("select pg_advisory_xact_lock(?)")
                .param(BOOTSTRAP_LOCK)
                .query()
                .singleValue();
        byte[] hash = ApiKeySecrets.hash(key);
        for (ApiKey candidate : keys.findByLookupId(ApiKeySecrets.lookupId(hash))) {
            if (ApiKeySecrets.sameHash(hash, candidate.keyHash())) {
                return candidate.isRevoked() ? BootstrapOutcome.REVOKED_EARLIER : BootstrapOutcome.ALREADY_REGISTERED;
            }
        }
        if (keys.countActiveAdminKeys() > 0) {
            return BootstrapOutcome.ADMIN_KEY_EXISTS;
        }
        ApiKey stored = store(
                "bootstrap", key, EnumSet.of(ApiKeyScope.ADMIN), KeyAccess.UNRESTRICTED, Actor.system("bootstrap"));
        log.info("Bootstrap admin API key registered as key {}", stored.getId());
        return BootstrapOutcome.REGISTERED;
    }

    /**
     * Counts the revocations and limit changes made through this gateway (never goes down): whoever holds a key
     * verified earlier (a console session) looks it up again when the count has moved.
     */
    public long keyChanges() {
        return verified.generation();
    }

    @Transactional(readOnly = true)
    public boolean anyActiveAdminKey() {
        return keys.countActiveAdminKeys() > 0;
    }

    private ApiKey store(String name, String key, Set<ApiKeyScope> scopes, KeyAccess access, Actor actor) {
        ApiKey unsaved = new ApiKey(name, ApiKeySecrets.hash(key), scopes, clock.instant(), actor.name());
        unsaved.limit(access);
        ApiKey stored = keys.save(unsaved);
        auditTrail.record(
                actor, AuditedEntity.API_KEY, stored.getId(), AuditAction.CREATED, null, ApiKeyResponse.of(stored));
        return stored;
    }

    /**
     * Evicts the key from the verification cache once the revocation is committed: evicted earlier, a request could
     * read the still-active row and cache it again (the cache refuses what was read before an eviction, see
     * {@link VerifiedKeyCache#put}).
     */
    private void evictWhenCommitted(long id) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            verified.evict(id);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                verified.evict(id);
            }
        });
    }

    private ApiKey find(long id) {
        return keys.findById(id).orElseThrow(() -> new NotFoundException(WHAT, id));
    }
}
