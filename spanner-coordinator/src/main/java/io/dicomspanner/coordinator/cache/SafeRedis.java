package io.dicomspanner.coordinator.cache;

import io.dicomspanner.coordinator.metrics.CoordinatorMetrics;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
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

    /** One write of {@link #writeInOrder}. */
    public sealed interface Write {
        String operation();
    }

    /** SET with expiry. */
    public record Set(String key, String value, Duration ttl) implements Write {
        @Override
        public String operation() {
            return "SET";
        }
    }

    public record Publish(String channel, String message) implements Write {
        @Override
        public String operation() {
            return "PUBLISH";
        }
    }

    public record Delete(String key) implements Write {
        @Override
        public String operation() {
            return "DEL";
        }
    }

    private final StringRedisTemplate redis;
    private final CoordinatorMetrics metrics;
    private final long timeoutMillis;

    public SafeRedis(StringRedisTemplate redis, CoordinatorMetrics metrics) {
        this.redis = redis;
        this.metrics = metrics;
        this.timeoutMillis = redis.getConnectionFactory() instanceof LettuceConnectionFactory lettuce
                ? lettuce.getClientConfiguration().getCommandTimeout().toMillis()
                : 1_000;
    }

    /**
     * Sends the writes one after the other on the shared connection without waiting between them, then waits for all
     * (Redis runs them in this order; on a Redis Cluster, in this order among the keys of one hash slot, which is why
     * keys that must follow each other share a hash tag, see {@code RedisKeys}): one round trip instead of one each.
     * Each write that fails is logged and counted like a single one; when the writes cannot be sent at all (Redis
     * unreachable), that counts once.
     */
    public void writeInOrder(List<Write> writes) {
        List<RedisFuture<?>> sent = new ArrayList<>(writes.size());
        try {
            redis.execute((RedisCallback<Void>) connection -> {
                @SuppressWarnings("unchecked")
                RedisClusterAsyncCommands<byte[], byte[]> async =
                        (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
                for (Write w : writes) {
                    sent.add(send(async, w));
                }
                return null;
            });
        } catch (RuntimeException e) {
            failed("pipelined " + writes.size() + " writes", e);
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                failed(writes.get(i).operation(), new IllegalStateException(e.toString(), e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed(writes.get(i).operation(), new IllegalStateException("interrupted", e));
                return;
            }
        }
    }

    private static RedisFuture<?> send(RedisClusterAsyncCommands<byte[], byte[]> async, Write write) {
        if (write instanceof Set set) {
            return async.set(
                    bytes(set.key()),
                    bytes(set.value()),
                    SetArgs.Builder.px(set.ttl().toMillis()));
        }
        if (write instanceof Publish publish) {
            return async.publish(bytes(publish.channel()), bytes(publish.message()));
        }
        return async.del(bytes(((Delete) write).key()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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

    private void failed(String operation, RuntimeException e) {
        metrics.redisError();
        // Keys hold hashes and query ids, never PHI; the exception says why Redis failed.
        log.warn("Redis {} failed, going on without it: {}", operation, e.toString());
    }
}
