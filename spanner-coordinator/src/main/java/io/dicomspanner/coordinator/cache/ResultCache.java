package io.dicomspanner.coordinator.cache;

import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.coordinator.config.SpanningConfig;
import io.dicomspanner.coordinator.metrics.CoordinatorMetrics;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * Complete answers, kept for the config's {@code cache_ttl_seconds} under its version and the query's canonical hash,
 * so an edit of the config makes every older entry unreachable. Entries are sealed ({@link SealedCodec}): they hold
 * patients' records.
 */
@Component
public class ResultCache {

    private static final Logger log = LoggerFactory.getLogger(ResultCache.class);

    private final SafeRedis redis;
    private final SealedCodec codec;
    private final CoordinatorMetrics metrics;

    public ResultCache(SafeRedis redis, SealedCodec codec, CoordinatorMetrics metrics) {
        this.redis = redis;
        this.codec = codec;
        this.metrics = metrics;
    }

    public static boolean enabledFor(SpanningConfig config) {
        return config.cacheTtlSeconds() > 0;
    }

    /** The cached answer; counts a hit or a miss. Only call when {@link #enabledFor} the config. */
    public Optional<SharedAnswer> lookUp(SpanningConfig config, String canonicalHash) {
        Optional<SharedAnswer> answer = read(RedisKeys.resultCache(config.id(), config.version(), canonicalHash));
        if (answer.isPresent()) {
            metrics.cacheHit();
        } else {
            metrics.cacheMiss();
        }
        return answer;
    }

    /** Reads an entry without counting it as a look-up (a coalesced follower that missed the announcement). */
    Optional<SharedAnswer> read(String key) {
        return redis.get(key).flatMap(this::parse);
    }

    /** The write that stores an answer ({@link SafeRedis#writeInOrder}), with the config's cache TTL. */
    public SafeRedis.Write store(SpanningConfig config, String canonicalHash, String encodedAnswer) {
        return new SafeRedis.Set(
                RedisKeys.resultCache(config.id(), config.version(), canonicalHash),
                encodedAnswer,
                Duration.ofSeconds(config.cacheTtlSeconds()));
    }

    /** The sealed JSON an entry and a coalescing announcement hold, made once for both. */
    public String encode(SharedAnswer answer) {
        return codec.sealEntry(answer);
    }

    /**
     * An entry that does not open (another key, changed bytes; counted by the codec) or that was written by another
     * version of the coordinator and does not parse is a miss, not a failure.
     */
    Optional<SharedAnswer> parse(String text) {
        try {
            return codec.openEntry(text, SharedAnswer.class);
        } catch (JacksonException e) {
            log.warn("unreadable shared answer in Redis, treated as absent: {}", e.getOriginalMessage());
            return Optional.empty();
        }
    }
}
