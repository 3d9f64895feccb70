package io.dicomspanner.coordinator.cache;

import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.coordinator.CoordinatorProperties;
import io.dicomspanner.coordinator.config.SpanningConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Coalescing of identical queries in flight, across every coordinator instance: the first to take the
 * {@link RedisKeys#inFlight} key (SET NX PX) fans out; the others wait for its announcement on
 * {@link RedisKeys#inFlightDone}, which carries the whole answer. The instance listens on the pattern of every done
 * channel from its start, so no announcement is lost to a subscription still being set up; one made before a
 * follower began waiting is found because the owner releases the key only after announcing (the follower then reads
 * the result cache). A follower that hears nothing within {@code spanner.coordinator.coalescing-wait} fans out itself,
 * and so does one whose instance is not subscribed at the moment.
 */
@Component
public class InFlightQueries implements MessageListener {

    /** Announced instead of an answer by {@link #abandon}; not JSON, so never mistaken for one. */
    static final String ABANDONED = "abandoned";

    private static final String DONE_PATTERN = RedisKeys.IN_FLIGHT_DONE_PATTERN;

    /** What taking part in coalescing gave a query. */
    public sealed interface Role {}

    /** This instance fans out and must call {@link #announce} (even on failure) when the query ends. */
    public record Owner(String key, String channel) implements Role {}

    /** Another query does the work: the answer arrives here, or empty if none came in time. */
    public record Follower(CompletableFuture<Optional<SharedAnswer>> answer) implements Role {}

    /** Redis is unavailable: fan out without coalescing. */
    public record Alone() implements Role {}

    private final SafeRedis redis;
    private final ResultCache cache;
    private final Duration wait;
    private final RedisMessageListenerContainer listeners;
    private final Map<String, List<CompletableFuture<Optional<SharedAnswer>>>> waiters = new ConcurrentHashMap<>();

    public InFlightQueries(
            SafeRedis redis,
            ResultCache cache,
            CoordinatorProperties properties,
            RedisMessageListenerContainer listeners) {
        this.redis = redis;
        this.cache = cache;
        this.wait = properties.coalescingWait();
        this.listeners = listeners;
        listeners.addMessageListener(this, new PatternTopic(DONE_PATTERN));
    }

    /**
     * Joins or starts the in-flight query for this config version and canonical query.
     *
     * @param ownership how long the owner may hold the key (its query's time to its deadline)
     * @param waitAtMost the follower's own deadline; it waits the shorter of this and the coalescing wait
     */
    public Role join(
            SpanningConfig config, String canonicalHash, String queryId, Duration ownership, Duration waitAtMost) {
        String key = RedisKeys.inFlight(config.id(), config.version(), canonicalHash);
        String channel = RedisKeys.inFlightDone(config.id(), config.version(), canonicalHash);
        Optional<Boolean> taken = redis.setIfAbsent(key, queryId, ownership);
        if (taken.isEmpty()) {
            return new Alone();
        }
        if (taken.get() || redis.get(key).filter(queryId::equals).isPresent()) {
            // the key is ours, or was taken by this very query on a coordinator that died before answering it (the
            // request was redelivered): nobody else will announce, so this run fans out and announces itself
            return new Owner(key, channel);
        }
        if (!listeners.isListening()) {
            // Not subscribed (yet, or Redis pub/sub is away): waiting would only end in the timeout.
            return new Alone();
        }
        CompletableFuture<Optional<SharedAnswer>> answer = new CompletableFuture<>();
        waiters.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(answer);
        Duration limit = waitAtMost.compareTo(wait) < 0 ? waitAtMost : wait;
        CompletableFuture<Optional<SharedAnswer>> bounded = answer.completeOnTimeout(
                        Optional.empty(), Math.max(0, limit.toMillis()), TimeUnit.MILLISECONDS)
                .whenComplete((a, e) -> removeWaiter(channel, answer));
        if (!redis.exists(key)) {
            // The owner finished between our SET NX and our registration: its answer is in the cache, if cacheable.
            answer.complete(cache.read(RedisKeys.resultCache(config.id(), config.version(), canonicalHash)));
        }
        return new Follower(bounded);
    }

    /**
     * The writes that give the owner's answer to every follower, then release the key (in that order, see the class
     * comment), for {@link SafeRedis#writeInOrder}.
     */
    public List<SafeRedis.Write> announce(Owner owner, String encodedAnswer) {
        return List.of(new SafeRedis.Publish(owner.channel(), encodedAnswer), new SafeRedis.Delete(owner.key()));
    }

    /**
     * The owner ends without an answer its followers may use (its entry cancelled it, so sources were stopped): they
     * fan out themselves at once rather than inherit a cancelled, partial answer. Then the key is released.
     */
    public List<SafeRedis.Write> abandon(Owner owner) {
        return List.of(new SafeRedis.Publish(owner.channel(), ABANDONED), new SafeRedis.Delete(owner.key()));
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String channel = new String(message.getChannel(), StandardCharsets.UTF_8);
        List<CompletableFuture<Optional<SharedAnswer>>> waiting = waiters.remove(channel);
        if (waiting == null || waiting.isEmpty()) {
            return;
        }
        String body = new String(message.getBody(), StandardCharsets.UTF_8);
        Optional<SharedAnswer> answer = ABANDONED.equals(body) ? Optional.empty() : cache.parse(body);
        for (CompletableFuture<Optional<SharedAnswer>> w : waiting) {
            w.complete(answer);
        }
    }

    private void removeWaiter(String channel, CompletableFuture<Optional<SharedAnswer>> answer) {
        waiters.computeIfPresent(channel, (c, list) -> {
            list.remove(answer);
            return list.isEmpty() ? null : list;
        });
    }
}
