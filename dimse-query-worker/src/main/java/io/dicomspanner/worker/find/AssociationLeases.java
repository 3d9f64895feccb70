package io.dicomspanner.worker.find;

import io.dicomspanner.common.messaging.RedisKeys;
import java.time.Duration;
import java.util.List;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The fleet-wide leases on a source's associations, in one Redis sorted set per source ({@link
 * RedisKeys#sourceAssociations}): member = lease id, score = expiry in Redis server time (epoch ms). Each script
 * touches that one key and drops expired members first, so a lease whose holder died stops counting {@code ttl} after
 * its last renewal. Server time (not the workers' clocks) decides expiry, so clock skew between workers does not
 * matter. Every call blocks for one Redis round trip and throws {@link
 * org.springframework.dao.DataAccessException} when Redis cannot be reached: call it off the event loops.
 */
public final class AssociationLeases {

    private static final String NOW =
            "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) ";

    /** ARGV: lease id, ttl ms, max. 1 if the lease was taken, 0 if {@code max} unexpired leases exist. */
    private static final RedisScript<Long> ACQUIRE = new DefaultRedisScript<>(
            NOW + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) "
                    + "if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then "
                    + "  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) "
                    + "  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) "
                    + "  return 1 "
                    + "end "
                    + "return 0",
            Long.class);

    /** ARGV: lease id, ttl ms. 1 if the lease was still held and now runs for ttl again, 0 if it had expired. */
    private static final RedisScript<Long> RENEW = new DefaultRedisScript<>(
            NOW + "local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1]) "
                    + "if expiry and tonumber(expiry) > now then "
                    + "  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1]) "
                    + "  if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then "
                    + "    redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) "
                    + "  end "
                    + "  return 1 "
                    + "end "
                    + "redis.call('ZREM', KEYS[1], ARGV[1]) "
                    + "return 0",
            Long.class);

    /** Unexpired leases now. */
    private static final RedisScript<Long> COUNT = new DefaultRedisScript<>(
            NOW + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) return redis.call('ZCARD', KEYS[1])",
            Long.class);

    /** ARGV: worker id, ttl ms. Registers the worker for ttl; returns {live workers, the worker's rank among them}. */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> REGISTER = new DefaultRedisScript<>(
            NOW + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) "
                    + "redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) "
                    + "redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) "
                    + "local ids = redis.call('ZRANGE', KEYS[1], 0, -1) "
                    + "table.sort(ids) "
                    + "local rank = 0 "
                    + "for i, id in ipairs(ids) do if id == ARGV[1] then rank = i - 1 end end "
                    + "return {#ids, rank}",
            List.class);

    /** The workers serving a source and one worker's place among them (ordered by id, so every worker agrees). */
    public record Workers(int count, int rank) {
        /**
         * This worker's part of {@code max} when each worker takes {@code max / count} and the first {@code max %
         * count} one more: the parts add up to {@code max}.
         */
        public int share(int max) {
            return count == 0 ? 0 : max / count + (rank < max % count ? 1 : 0);
        }
    }

    private final StringRedisTemplate redis;

    public AssociationLeases(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Takes lease {@code leaseId} on one of the source's associations if fewer than {@code max} are leased. */
    public boolean tryAcquire(long sourceId, String leaseId, int max, Duration ttl) {
        Long taken = redis.execute(
                ACQUIRE,
                List.of(RedisKeys.sourceAssociations(sourceId)),
                leaseId,
                Long.toString(ttl.toMillis()),
                Integer.toString(max));
        return taken != null && taken == 1L;
    }

    /** Extends a held lease by {@code ttl} from now; false if it had expired (another worker may have it now). */
    public boolean renew(long sourceId, String leaseId, Duration ttl) {
        Long renewed = redis.execute(
                RENEW, List.of(RedisKeys.sourceAssociations(sourceId)), leaseId, Long.toString(ttl.toMillis()));
        return renewed != null && renewed == 1L;
    }

    /** Gives a lease back. */
    public void release(long sourceId, String leaseId) {
        redis.opsForZSet().remove(RedisKeys.sourceAssociations(sourceId), leaseId);
    }

    /**
     * Registers {@code workerId} as serving the source for {@code ttl} and returns the live workers serving it, with
     * the worker's 0-based position among them ordered by id (not by score: scores are expiries and change with every
     * registration, so workers reading at different times would not agree).
     */
    public Workers register(long sourceId, String workerId, Duration ttl) {
        List<?> reply = redis.execute(
                REGISTER,
                List.of(RedisKeys.sourceAssociationWorkers(sourceId)),
                workerId,
                Long.toString(ttl.toMillis()));
        if (reply == null || reply.size() < 2) {
            return new Workers(0, 0);
        }
        return new Workers(((Number) reply.get(0)).intValue(), ((Number) reply.get(1)).intValue());
    }

    /** Unexpired leases on the source's associations, across the fleet. */
    public int leased(long sourceId) {
        Long n = redis.execute(COUNT, List.of(RedisKeys.sourceAssociations(sourceId)));
        return n == null ? 0 : n.intValue();
    }
}
