package io.dicomspanner.gateway.qido;

import io.dicomspanner.common.messaging.SharedAnswer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The cached answers this gateway has read from Redis, kept in its memory until their Redis entry expires, so that a
 * repeated search is answered without a Redis round trip. An entry is never used longer than Redis would have given
 * it: its life here ends when the Redis entry's remaining time to live, read together with it, has passed. An entry
 * without an expiry (never written so by a coordinator) is not kept. Entries are looked up by the result-cache key,
 * which holds the config's id and version, so a changed config never finds an answer of its earlier version.
 *
 * <p>Bounded by the bytes of the records it holds ({@code spanner.qido.local-answer-cache-size}): the least recently
 * used answers go first; 0 keeps nothing. Thread-safe.
 */
final class LocalAnswerCache {

    /** What one answer costs besides its records' bytes (objects, lists, the key), roughly. */
    private static final long ENTRY_OVERHEAD = 512;

    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    private record Entry(SharedAnswer answer, long expiresAtNanos, long bytes) {}

    private final long maxBytes;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long lastSweepNanos;

    /**
     * @param maxBytes the records' bytes it holds at most; 0 = keep nothing
     * @param nanoTime the clock of the expiries ({@link System#nanoTime})
     */
    LocalAnswerCache(long maxBytes, LongSupplier nanoTime) {
        this.maxBytes = maxBytes;
        this.nanoTime = nanoTime;
        this.lastSweepNanos = nanoTime.getAsLong();
    }

    /** The answer kept under this key, if its Redis entry has not expired yet; else null. */
    synchronized SharedAnswer get(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (nanoTime.getAsLong() - entry.expiresAtNanos() >= 0) {
            entries.remove(key);
            bytes -= entry.bytes();
            return null;
        }
        return entry.answer();
    }

    /** The time {@link #put} wants as the moment an entry was asked of Redis. */
    long now() {
        return nanoTime.getAsLong();
    }

    /**
     * Keeps an answer just read from Redis.
     *
     * @param askedAtNanos {@link #now()} before the entry was asked of Redis: counted from then, the entry's life here
     *     ends no later than in Redis
     * @param remainingMillis its Redis entry's remaining time to live, read with it ({@code PTTL}); not kept when it is
     *     not positive (no expiry, or gone)
     */
    synchronized void put(String key, SharedAnswer answer, long askedAtNanos, long remainingMillis) {
        if (maxBytes <= 0 || remainingMillis <= 0) {
            return;
        }
        long size = sizeOf(key, answer);
        if (size > maxBytes) {
            return;
        }
        long now = nanoTime.getAsLong();
        Entry previous = entries.put(key, new Entry(answer, askedAtNanos + remainingMillis * 1_000_000L, size));
        if (previous != null) {
            bytes -= previous.bytes();
        }
        bytes += size;
        if (now - lastSweepNanos >= SWEEP_INTERVAL_NANOS) {
            lastSweepNanos = now;
            dropExpired(now);
        }
        Iterator<Entry> eldestFirst = entries.values().iterator();
        while (bytes > maxBytes && eldestFirst.hasNext()) {
            bytes -= eldestFirst.next().bytes();
            eldestFirst.remove();
        }
    }

    /** Answers kept (expired ones included until they are looked up or swept). */
    synchronized int size() {
        return entries.size();
    }

    /** Bytes held, as counted against the bound. */
    synchronized long bytes() {
        return bytes;
    }

    private void dropExpired(long now) {
        Iterator<Entry> all = entries.values().iterator();
        while (all.hasNext()) {
            Entry entry = all.next();
            if (now - entry.expiresAtNanos() >= 0) {
                bytes -= entry.bytes();
                all.remove();
            }
        }
    }

    private static long sizeOf(String key, SharedAnswer answer) {
        long size = ENTRY_OVERHEAD + 2L * key.length();
        for (byte[] record : answer.records()) {
            size += record.length + 16;
        }
        return size;
    }
}
