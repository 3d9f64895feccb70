package io.dicomspanner.worker.circuit;

import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.worker.WorkerProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * A circuit breaker per DICOM source, shared by every worker through the Redis hash {@link
 * RedisKeys#sourceCircuit(long)} (fields {@code failures}, {@code openUntil}) and the key {@code <that key>:trial}.
 *
 * <p>Closed: C-FINDs run; each connection failure or timeout counts, any answer from the PACS (even a failure status)
 * resets the count. After {@code failureThreshold} consecutive failures the circuit opens for {@code coolDown}: tasks are
 * answered CIRCUIT_OPEN at once. Then it is half-open: one worker (whoever sets the trial key first) lets one C-FIND
 * through; its success closes the circuit, its failure opens it for another cool-down. When Redis cannot be reached the
 * same rules run on this worker's own state, so a Redis outage costs sharing, not protection.
 */
@Component
public class CircuitBreaker {
    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
    private static final String FAILURES = "failures";
    private static final String OPEN_UNTIL = "openUntil";
    /** State outlives its last change by this many cool-downs, so a source nobody asks about is forgotten. */
    private static final int STATE_TTL_COOL_DOWNS = 20;

    /** What a caller may do now. */
    public enum Admission {
        /** Closed: go ahead. */
        CLOSED,
        /** Half-open: go ahead as the one trial. */
        TRIAL,
        /** Open: answer CIRCUIT_OPEN without asking the PACS. */
        OPEN
    }

    private final StringRedisTemplate redis;
    private final int failureThreshold;
    private final Duration coolDown;
    private final Clock clock;
    private final Map<Long, LocalState> local = new ConcurrentHashMap<>();

    public CircuitBreaker(StringRedisTemplate redis, WorkerProperties properties, Clock clock) {
        this.redis = redis;
        this.failureThreshold = properties.circuit().failureThreshold();
        this.coolDown = properties.circuit().coolDown();
        this.clock = clock;
    }

    public Admission admit(long sourceId) {
        long now = clock.millis();
        try {
            Map<Object, Object> shared = redis.opsForHash().entries(RedisKeys.sourceCircuit(sourceId));
            if (shared.isEmpty()) {
                return Admission.CLOSED;
            }
            localState(sourceId).sharedStateSeen = true;
            Object openUntil = shared.get(OPEN_UNTIL);
            if (openUntil == null) {
                return Admission.CLOSED;
            }
            if (now < Long.parseLong(openUntil.toString())) {
                return Admission.OPEN;
            }
            Boolean first = redis.opsForValue().setIfAbsent(trialKey(sourceId), "1", coolDown);
            return Boolean.TRUE.equals(first) ? Admission.TRIAL : Admission.OPEN;
        } catch (DataAccessException e) {
            LOG.warn(
                    "circuit of source {}: Redis unavailable ({}); using this worker's state",
                    sourceId,
                    e.getMessage());
            return localState(sourceId).admit(now);
        }
    }

    /**
     * The PACS answered (success or a failure status): the connection works. The shared state is deleted only if this
     * worker has seen or written some since its last reset, so a healthy source costs one Redis call per C-FIND (the
     * look-up in {@link #admit}), not two. A failure another worker counts while this C-FIND runs is therefore reset
     * by the next answer after a look-up has seen it.
     */
    public void onAnswer(long sourceId) {
        LocalState state = localState(sourceId);
        if (state.sharedStateSeen) {
            state.sharedStateSeen = false;
            try {
                redis.delete(List.of(RedisKeys.sourceCircuit(sourceId), trialKey(sourceId)));
            } catch (DataAccessException e) {
                state.sharedStateSeen = true;
                LOG.warn(
                        "circuit of source {}: Redis unavailable ({}); using this worker's state",
                        sourceId,
                        e.getMessage());
            }
        }
        state.reset();
    }

    /** No association could be made, or the PACS did not answer in time. */
    public void onConnectionFailure(long sourceId) {
        long now = clock.millis();
        String key = RedisKeys.sourceCircuit(sourceId);
        localState(sourceId).sharedStateSeen = true;
        try {
            long failures = redis.opsForHash().increment(key, FAILURES, 1);
            boolean trialFailed = Boolean.TRUE.equals(redis.delete(trialKey(sourceId)));
            if (failures >= failureThreshold || trialFailed) {
                redis.opsForHash().put(key, OPEN_UNTIL, Long.toString(now + coolDown.toMillis()));
                LOG.warn("circuit of source {} open for {} after {} connection failures", sourceId, coolDown, failures);
            }
            redis.expire(key, coolDown.multipliedBy(STATE_TTL_COOL_DOWNS));
        } catch (DataAccessException e) {
            LOG.warn(
                    "circuit of source {}: Redis unavailable ({}); using this worker's state",
                    sourceId,
                    e.getMessage());
        }
        localState(sourceId).onFailure(now, failureThreshold, coolDown.toMillis());
    }

    private LocalState localState(long sourceId) {
        return local.computeIfAbsent(sourceId, id -> new LocalState());
    }

    private static String trialKey(long sourceId) {
        return RedisKeys.sourceCircuitTrial(sourceId);
    }

    /** The same rules on this worker alone, kept up to date always so it is current when Redis goes away. */
    private static final class LocalState {
        /** Shared state may exist in Redis: seen by a look-up or written by this worker, not yet deleted by it. */
        volatile boolean sharedStateSeen;

        private int failures;
        private long openUntil = -1;
        private boolean trialRunning;

        synchronized Admission admit(long now) {
            if (openUntil < 0) {
                return Admission.CLOSED;
            }
            if (now < openUntil || trialRunning) {
                return Admission.OPEN;
            }
            trialRunning = true;
            return Admission.TRIAL;
        }

        synchronized void reset() {
            failures = 0;
            openUntil = -1;
            trialRunning = false;
        }

        synchronized void onFailure(long now, int threshold, long coolDownMillis) {
            failures++;
            if (failures >= threshold || trialRunning) {
                openUntil = now + coolDownMillis;
            }
            trialRunning = false;
        }
    }
}
