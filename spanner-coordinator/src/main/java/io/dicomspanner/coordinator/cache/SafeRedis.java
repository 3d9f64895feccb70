package io.dicomspanner.coordinator.cache;

import io.dicomspanner.coordinator.metrics.CoordinatorMetrics;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Redis as the coordinator uses it: for speed and status, never for correctness. Every operation that fails is
 * logged, counted ({@code spanner_redis_errors_total}) and reported as "nothing there" / "not done", so a query goes
 * on uncached and uncoalesced while Redis is away.
 */
@Component
public class SafeRedis {

    private static final Logger log = LoggerFactory.getLogger(SafeRedis.class);

    private final StringRedisTemplate redis;
    private final CoordinatorMetrics metrics;

    public SafeRedis(StringRedisTemplate redis, CoordinatorMetrics metrics) {
        this.redis = redis;
        this.metrics = metrics;
    }

    /** The value, empty if absent or if Redis failed. */
    public Optional<String> get(String key) {
        try {
            return Optional.ofNullable(redis.opsForValue().get(key));
        } catch (RuntimeException e) {
            failed("GET", e);
            return Optional.empty();
        }
    }

    public void set(String key, String value, Duration ttl) {
        try {
            redis.opsForValue().set(key, value, ttl);
        } catch (RuntimeException e) {
            failed("SET", e);
        }
    }

    /** SET NX PX: true if this caller now holds the key, false if someone else does, empty if Redis failed. */
    public Optional<Boolean> setIfAbsent(String key, String value, Duration ttl) {
        try {
            return Optional.ofNullable(redis.opsForValue().setIfAbsent(key, value, ttl));
        } catch (RuntimeException e) {
            failed("SET NX", e);
            return Optional.empty();
        }
    }

    /** Whether the key exists; true if Redis failed, so a waiter keeps waiting rather than guessing. */
    public boolean exists(String key) {
        try {
            return Boolean.TRUE.equals(redis.hasKey(key));
        } catch (RuntimeException e) {
            failed("EXISTS", e);
            return true;
        }
    }

    public void delete(String key) {
        try {
            redis.delete(key);
        } catch (RuntimeException e) {
            failed("DEL", e);
        }
    }

    public void publish(String channel, String message) {
        try {
            redis.convertAndSend(channel, message);
        } catch (RuntimeException e) {
            failed("PUBLISH", e);
        }
    }

    private void failed(String operation, RuntimeException e) {
        metrics.redisError();
        // Keys hold hashes and query ids, never PHI; the exception says why Redis failed.
        log.warn("Redis {} failed, going on without it: {}", operation, e.toString());
    }
}
