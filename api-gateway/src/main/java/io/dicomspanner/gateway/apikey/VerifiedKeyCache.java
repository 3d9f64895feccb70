package io.dicomspanner.gateway.apikey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Keys verified against the database in the last {@code verification-cache-ttl}, by the hex of their SHA-256 hash (the
 * clear key is never kept): a request with a key seen moments ago costs no database round trip. Only active keys are
 * held; an unknown or revoked key is looked up every time, so a flood of bad keys cannot fill the cache or keep a
 * key "known". A key revoked through this gateway is evicted at once ({@link #evict}); one revoked elsewhere (another
 * gateway, the command line, SQL) is refused here once its entry expires.
 *
 * <p>An expired entry is kept for {@code trusted-while-database-unavailable} more: when the database cannot be reached
 * to verify the key again, {@link #stale} still vouches for it, so queries go on through an outage of the primary.
 */
@Component
class VerifiedKeyCache {

    private record Entry(AuthenticatedKey key, Instant expiresAt) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Counts evictions; a lookup that began before one may have read what the eviction removed. */
    private final AtomicLong evictions = new AtomicLong();

    private final Duration ttl;
    private final Duration grace;
    private final int maxEntries;
    private final Clock clock;

    @Autowired
    VerifiedKeyCache(ApiKeyProperties properties, Clock clock) {
        this(
                properties.verificationCacheTtl(),
                properties.trustedWhileDatabaseUnavailable(),
                properties.verificationCacheMaxEntries(),
                clock);
    }

    VerifiedKeyCache(Duration ttl, int maxEntries, Clock clock) {
        this(ttl, Duration.ZERO, maxEntries, clock);
    }

    VerifiedKeyCache(Duration ttl, Duration grace, int maxEntries, Clock clock) {
        this.ttl = ttl;
        this.grace = grace;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The key verified under {@code keyHash} within the TTL, if any. */
    Optional<AuthenticatedKey> get(String keyHash) {
        Entry entry = entries.get(keyHash);
        if (entry == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(entry.expiresAt())) {
            if (!now.isBefore(entry.expiresAt().plus(grace))) {
                entries.remove(keyHash, entry);
            }
            return Optional.empty();
        }
        return Optional.of(entry.key());
    }

    /**
     * The key verified under {@code keyHash}, expired but within the grace after its TTL: what vouches for it while
     * the database cannot be asked.
     */
    Optional<AuthenticatedKey> stale(String keyHash) {
        Entry entry = entries.get(keyHash);
        if (entry == null || !clock.instant().isBefore(entry.expiresAt().plus(grace))) {
            return Optional.empty();
        }
        return Optional.of(entry.key());
    }

    /** Read before looking a key up in the database, and handed to {@link #put} with what the lookup found. */
    long generation() {
        return evictions.get();
    }

    /**
     * Holds an active key read from the database, unless an eviction happened since {@code generation}: the read may
     * then predate a revocation, and caching it would let the revoked key in for another TTL.
     */
    void put(String keyHash, AuthenticatedKey key, long generation) {
        if (ttl.isZero() || (entries.size() >= maxEntries && !makeRoom())) {
            return;
        }
        Entry entry = new Entry(key, clock.instant().plus(ttl));
        entries.put(keyHash, entry);
        // Checked after the put: an eviction after this check removes the entry itself (see evict).
        if (evictions.get() != generation) {
            entries.remove(keyHash, entry);
        }
    }

    /** Forgets key {@code id} (revoked through this gateway), so that its next request is checked in the database. */
    void evict(long id) {
        evictions.incrementAndGet();
        entries.values().removeIf(entry -> entry.key().id() == id);
    }

    /** Forgets every key, as if none had been verified yet. */
    void evictAll() {
        evictions.incrementAndGet();
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    /** Drops expired entries; true if that freed a place. A full cache of live keys takes no more (they still work). */
    private boolean makeRoom() {
        Instant now = clock.instant();
        entries.values().removeIf(entry -> !now.isBefore(entry.expiresAt()));
        return entries.size() < maxEntries;
    }
}
