package io.dicomspanner.bench.load;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The distribution of a set of latencies (or of any other non-negative durations): nearest-rank percentiles over every
 * sample, so each figure is a latency that one request really had (no interpolation, no histogram buckets).
 *
 * @param count samples
 * @param p50Micros, p90Micros, p99Micros nearest-rank percentiles ({@link #percentile})
 * @param maxMicros the largest sample
 * @param meanMicros arithmetic mean, rounded down
 */
public record LatencySummary(
        int count, long p50Micros, long p90Micros, long p99Micros, long maxMicros, long meanMicros) {

    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0);

    /** The header of a Markdown table of {@link #tableRow} rows, both lines, each ending in a newline. */
    public static final String TABLE_HEADER =
            "| measure | count | p50 ms | p90 ms | p99 ms | max ms | mean ms |\n|---|---|---|---|---|---|---|\n";

    /** Summarises one duration (microseconds) of each item. */
    public static <T> LatencySummary of(List<T> items, ToLongFunction<T> micros) {
        return of(items.stream().mapToLong(micros).toArray());
    }

    /** Summarises the samples (microseconds; the array is not changed). */
    public static LatencySummary of(long[] micros) {
        if (micros.length == 0) {
            return EMPTY;
        }
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        long sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return new LatencySummary(
                sorted.length,
                percentile(sorted, 50),
                percentile(sorted, 90),
                percentile(sorted, 99),
                sorted[sorted.length - 1],
                sum / sorted.length);
    }

    /**
     * The nearest-rank percentile: the smallest sample such that at least {@code p} percent of the samples are less
     * than or equal to it, i.e. {@code sorted[ceil(p / 100 * n) - 1]}. With 100 samples p99 is the 99th smallest; with
     * fewer than 100 samples p99 is the maximum.
     *
     * @param sorted samples in ascending order, at least one
     * @param p percentile, above 0 and at most 100
     */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], not " + p);
        }
        // rank computed in integer steps of 1/1000 percent so that, e.g., 0.99 * 100 is exactly rank 99
        long thousandths = Math.round(p * 1000);
        long rank = (thousandths * sorted.length + 100_000 - 1) / 100_000;
        return sorted[(int) Math.max(1, rank) - 1];
    }

    /**
     * The items at or above the {@code p}th percentile of {@code micros} (nearest rank, as {@link #percentile}): the
     * slowest {@code 100 - p} percent, at least one, slowest first. Their other durations tell where the tail lost its
     * time, which the percentiles of each part cannot (they come from different items).
     */
    public static <T> List<T> tail(List<T> items, ToLongFunction<T> micros, double p) {
        if (items.isEmpty()) {
            return List.of();
        }
        long[] sorted = items.stream().mapToLong(micros).sorted().toArray();
        long threshold = percentile(sorted, p);
        return items.stream()
                .filter(item -> micros.applyAsLong(item) >= threshold)
                .sorted(Comparator.comparingLong(micros).reversed())
                .toList();
    }

    /** Milliseconds with one decimal (half up, in decimal, so 0.950 ms is "1.0"), for reports. */
    public static String millis(long micros) {
        return BigDecimal.valueOf(micros, 3).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    /** This summary as a row of a table under {@link #TABLE_HEADER}: the name, the count, then milliseconds. */
    public String tableRow(String name) {
        return "| " + name + " | " + count + " | " + millis(p50Micros) + " | " + millis(p90Micros) + " | "
                + millis(p99Micros) + " | " + millis(maxMicros) + " | " + millis(meanMicros) + " |";
    }
}
