package io.dicomspanner.common.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Per-caller limits on requests: a rate (requests per second, a token bucket whose burst is one second's worth) and a
 * number in flight at once, for each key (a calling AE title, an API key id, ...). A request is admitted with a
 * {@link Permit} that the caller releases when the request ends, or refused naming the limit it would break. A refused
 * request takes nothing: neither a token nor a place in flight.
 *
 * <p>Time comes from the {@link Clock} given (the service's one clock; a test's own to step through seconds), read
 * through {@code instant()}: a clock ticking in units below a millisecond (the gateway's) fails {@code millis()}. Keys
 * whose bucket is full and that have nothing in flight are forgotten once more than {@link #REMEMBERED_KEYS} are known:
 * such a key is indistinguishable from a new one, so forgetting it changes no answer.
 */
public final class RequestLimiter {

    /** Keys held before idle ones are forgotten. */
    public static final int REMEMBERED_KEYS = 10_000;

    /** Which limit refused a request. */
    public enum Limit {
        /** More requests in the last second than {@link Limits#perSecond()}. */
        RATE,
        /** {@link Limits#inFlight()} requests of the key running already. */
        IN_FLIGHT
    }

    /**
     * The limits of one key.
     *
     * @param perSecond requests per second, sustained; a burst of up to one second's worth (at least one); 0 = no limit
     * @param inFlight requests running at once; 0 = no limit
     */
    public record Limits(double perSecond, int inFlight) {

        /** No limit at all. */
        public static final Limits NONE = new Limits(0, 0);

        public Limits {
            if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException(
                        "requests per second must be 0 (no limit) or more, was " + perSecond);
            }
            if (inFlight < 0) {
                throw new IllegalArgumentException("requests in flight must be 0 (no limit) or more, was " + inFlight);
            }
        }

        double burst() {
            return Math.max(1, Math.ceil(perSecond));
        }
    }

    /** The answer to {@link #tryAcquire}: a {@link Permit} or a {@link Refused}. */
    public sealed interface Admission permits Permit, Refused {}

    /**
     * A refused request.
     *
     * @param limit the limit it would have broken
     * @param limits the key's limits at the time
     * @param retryAfter for {@link Limit#RATE}, when the next request would be admitted (whole seconds, at least 1); for
     *     {@link Limit#IN_FLIGHT}, 1 second: when a running request ends is not known here
     */
    public record Refused(Limit limit, Limits limits, Duration retryAfter) implements Admission {}

    /** An admitted request's place in flight; {@link #close()} gives it back (once; later calls do nothing). */
    public final class Permit implements Admission, AutoCloseable {
        private final String key;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(String key) {
            this.key = key;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                states.computeIfPresent(key, (k, state) -> {
                    state.inFlight--;
                    return state;
                });
            }
        }
    }

    /** A key's bucket and its requests in flight; touched only inside the map's per-key compute. */
    private static final class State {
        double tokens;
        long refilledAtMillis;
        volatile int inFlight;
        Limits limits;

        State(Limits limits, long nowMillis) {
            this.limits = limits;
            this.tokens = limits.burst();
            this.refilledAtMillis = nowMillis;
        }

        void refill(Limits current, long nowMillis) {
            limits = current;
            long elapsed = Math.max(0, nowMillis - refilledAtMillis);
            tokens = Math.min(current.burst(), tokens + elapsed * current.perSecond() / 1000.0);
            refilledAtMillis = nowMillis;
        }

        boolean idle() {
            return inFlight == 0 && (limits.perSecond() == 0 || tokens >= limits.burst());
        }
    }

    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public RequestLimiter(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Admits one request of {@code key} under {@code limits}, or refuses it. The in-flight limit is checked first, so
     * a request refused for it spends no token.
     */
    public Admission tryAcquire(String key, Limits limits) {
        Objects.requireNonNull(key);
        Objects.requireNonNull(limits);
        if (states.size() > REMEMBERED_KEYS) {
            forgetIdleKeys();
        }
        long now = clock.instant().toEpochMilli();
        Refused[] refused = new Refused[1];
        states.compute(key, (k, state) -> {
            State s = state == null ? new State(limits, now) : state;
            s.refill(limits, now);
            if (limits.inFlight() > 0 && s.inFlight >= limits.inFlight()) {
                refused[0] = new Refused(Limit.IN_FLIGHT, limits, Duration.ofSeconds(1));
                return s;
            }
            if (limits.perSecond() > 0) {
                if (s.tokens < 1) {
                    double seconds = (1 - s.tokens) / limits.perSecond();
                    refused[0] =
                            new Refused(Limit.RATE, limits, Duration.ofSeconds(Math.max(1, (long) Math.ceil(seconds))));
                    return s;
                }
                s.tokens -= 1;
            }
            s.inFlight++;
            return s;
        });
        return refused[0] != null ? refused[0] : new Permit(key);
    }

    /** Requests of {@code key} admitted and not yet released. */
    public int inFlight(String key) {
        State s = states.get(key);
        return s == null ? 0 : s.inFlight;
    }

    private void forgetIdleKeys() {
        long now = clock.instant().toEpochMilli();
        for (String key : states.keySet()) {
            states.computeIfPresent(key, (k, s) -> {
                s.refill(s.limits, now);
                return s.idle() ? null : s;
            });
        }
    }
}
