package io.dicomspanner.gateway.apikey;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Writes keys' {@code last_used_at} off the request thread, at most once per key per
 * {@code last-used-update-interval}: the value is accurate to that interval, and a busy key costs one write an interval
 * instead of one a request. A use not yet written when the gateway stops is lost (the interval's accuracy allows it).
 */
@Component
class KeyUseRecorder {

    private static final Logger log = LoggerFactory.getLogger(KeyUseRecorder.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final ApiKeyRepository keys;
    private final Duration interval;
    private final Clock clock;
    /** When this gateway last decided to write each key's use, by key hash (not id: ids are not secrets to trust). */
    private final Map<String, Instant> decidedAt = new ConcurrentHashMap<>();
    /** Uses waiting for the writer, by key id: the latest use time of each. */
    private final Map<Long, Instant> pending = new ConcurrentHashMap<>();
    /**
     * One writer thread; a queue of one, because a queued run writes everything pending when it starts, so a further
     * run adds nothing.
     */
    private final ThreadPoolExecutor writer;

    KeyUseRecorder(ApiKeyRepository keys, ApiKeyProperties properties, Clock clock) {
        this.keys = keys;
        this.interval = properties.lastUsedUpdateInterval();
        this.clock = clock;
        this.writer = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(1),
                runnable -> {
                    Thread thread = new Thread(runnable, "api-key-use-writer");
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.DiscardPolicy());
    }

    /** Notes that key {@code id} (hash {@code keyHash}) was used {@code at}; returns at once. */
    void used(String keyHash, long id, Instant at) {
        Instant last = decidedAt.get(keyHash);
        if (last != null && at.isBefore(last.plus(interval))) {
            return; // the common case, without compute's lock on the key's bin
        }
        boolean[] due = {false};
        decidedAt.compute(keyHash, (hash, decided) -> {
            if (decided != null && at.isBefore(decided.plus(interval))) {
                return decided;
            }
            due[0] = true;
            return at;
        });
        if (due[0]) {
            pending.merge(id, at, (a, b) -> a.isAfter(b) ? a : b);
            writer.execute(this::writePending);
        }
    }

    /**
     * Writes every pending use. Synchronised, so that a caller (a test, the shutdown) returns only once uses noted
     * before the call are in the database, whichever thread wrote them.
     */
    synchronized void writePending() {
        for (Long id : pending.keySet()) {
            Instant at = pending.remove(id);
            if (at == null) {
                continue;
            }
            try {
                // The condition keeps several gateways from each writing the same key in one interval.
                keys.recordUse(id, at, at.minus(interval));
            } catch (DataAccessException | TransactionException e) {
                log.warn(
                        "Could not record the use of API key {} at {}; the next due use will: {}",
                        id,
                        at,
                        e.toString());
            }
        }
        forgetDecisionsBefore(clock.instant().minus(interval));
    }

    /** A decision older than the interval no longer holds a write back; keeps the map to the keys in recent use. */
    private void forgetDecisionsBefore(Instant expired) {
        decidedAt.values().removeIf(at -> !at.isAfter(expired));
    }

    @PreDestroy
    void stop() throws InterruptedException {
        writer.shutdown();
        if (writer.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            writePending();
        }
    }
}
