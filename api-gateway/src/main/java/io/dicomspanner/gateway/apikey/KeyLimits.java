package io.dicomspanner.gateway.apikey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Per-key rate limits of one gateway instance: how many searches a key may start in any one second, and how many of
 * its searches may wait for their answer at once. Knows nothing of HTTP: the caller asks {@link #acquire} before it
 * publishes anything, turns a {@link Refused} into its answer, and closes the {@link Permit} of a granted search once
 * the search is answered.
 *
 * <p>Queries per second are counted over a sliding second (the times of the last {@code perSecond} grants are kept):
 * the search that would be the {@code perSecond + 1}-th within one second is refused, and its {@code retryAfter} is
 * when the oldest of those leaves the second, rounded up to whole seconds. A refused search counts for nothing.
 */
public final class KeyLimits {

    /** Retry-After of a search refused for too many in flight: when one ends cannot be known. */
    public static final Duration IN_FLIGHT_RETRY_AFTER = Duration.ofSeconds(1);

    private static final long SECOND_NANOS = 1_000_000_000L;

    /**
     * The limits of one key; 0 = unlimited.
     *
     * @param perSecond searches it may start in any one second
     * @param inFlight searches that hold an in-flight slot it may have unanswered at once
     */
    public record Limits(int perSecond, int inFlight) {
        public static final Limits NONE = new Limits(0, 0);

        public Limits {
            if (perSecond < 0 || inFlight < 0) {
                throw new IllegalArgumentException("limits are 0 (unlimited) or more");
            }
        }
    }

    /** What {@link #acquire} decided. */
    public sealed interface Decision permits Permit, Refused {}

    /** Too many; {@code detail} says which limit, without any request value. */
    public record Refused(String detail, Duration retryAfter) implements Decision {}

    /** A granted search; {@link #close} gives its in-flight slot back (once, however often it is called). */
    public static final class Permit implements Decision, AutoCloseable {
        private final State state;
        private final AtomicBoolean open;

        private Permit(State state, boolean holdsSlot) {
            this.state = state;
            this.open = new AtomicBoolean(holdsSlot);
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                synchronized (state) {
                    state.inFlight--;
                }
            }
        }
    }

    private static final class State {
        /** Grant times (nanos on the clock's time line) of the last {@code times.length} grants, a ring. */
        long[] times = new long[0];

        int next;
        int granted;
        int inFlight;
    }

    private final Clock clock;
    private final Map<Long, State> states = new ConcurrentHashMap<>();

    public KeyLimits(Clock clock) {
        this.clock = clock;
    }

    /**
     * Grants key {@code keyId} one more search within {@code limits}, or refuses it.
     *
     * @param holdsSlot whether the search counts as in flight until its permit is closed
     */
    public Decision acquire(long keyId, Limits limits, boolean holdsSlot) {
        if (limits.perSecond() == 0 && (limits.inFlight() == 0 || !holdsSlot)) {
            return new Permit(null, false);
        }
        State state = states.computeIfAbsent(keyId, id -> new State());
        synchronized (state) {
            if (holdsSlot && limits.inFlight() > 0 && state.inFlight >= limits.inFlight()) {
                return new Refused(
                        "API key " + keyId + " has " + limits.inFlight() + " "
                                + (limits.inFlight() == 1 ? "search" : "searches")
                                + " in flight, its limit; send the next when one is answered",
                        IN_FLIGHT_RETRY_AFTER);
            }
            if (limits.perSecond() > 0) {
                long now = nanos(clock.instant());
                if (state.times.length != limits.perSecond()) {
                    resize(state, limits.perSecond());
                }
                if (state.granted == state.times.length) {
                    long oldest = state.times[state.next];
                    long freeIn = oldest + SECOND_NANOS - now;
                    if (freeIn > 0) {
                        return new Refused(
                                "API key " + keyId + " may start " + limits.perSecond() + " "
                                        + (limits.perSecond() == 1 ? "search" : "searches") + " per second",
                                Duration.ofSeconds((freeIn + SECOND_NANOS - 1) / SECOND_NANOS));
                    }
                } else {
                    state.granted++;
                }
                state.times[state.next] = now;
                state.next = (state.next + 1) % state.times.length;
            }
            boolean counted = holdsSlot && limits.inFlight() > 0;
            if (counted) {
                state.inFlight++;
            }
            return new Permit(counted ? state : null, counted);
        }
    }

    /** Searches of this key holding an in-flight slot now. */
    public int inFlight(long keyId) {
        State state = states.get(keyId);
        if (state == null) {
            return 0;
        }
        synchronized (state) {
            return state.inFlight;
        }
    }

    /** A changed per-second limit keeps the newest grant times that fit. */
    private static void resize(State state, int capacity) {
        long[] newest = new long[Math.min(state.granted, capacity)];
        for (int i = 0; i < newest.length; i++) {
            int from = Math.floorMod(state.next - newest.length + i, Math.max(1, state.times.length));
            newest[i] = state.times[from];
        }
        state.times = new long[capacity];
        System.arraycopy(newest, 0, state.times, 0, newest.length);
        state.granted = newest.length;
        state.next = newest.length % capacity;
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * SECOND_NANOS + instant.getNano();
    }
}
