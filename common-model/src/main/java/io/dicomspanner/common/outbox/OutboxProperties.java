package io.dicomspanner.common.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where a service keeps the audit events and query log rows that PostgreSQL could not take at once
 * ({@code spanner.outbox}), and how many it keeps.
 *
 * @param directory the outbox directory; each kind of entry gets a subdirectory ({@code audit/}, {@code query-log/}).
 *     It must survive a restart (a volume, not a container's temporary layer) and belong to this instance alone
 * @param maxEntries how many entries an outbox holds before requests that must be audited are refused with 503 (and
 *     DIMSE queries with C-FIND status A700); entries of requests already admitted, of refusals and of query log rows
 *     may take an outbox to twice this, and only beyond that is an entry lost (logged and counted as a failure)
 * @param drainInterval how often the outbox retries delivering its entries to PostgreSQL
 * @param drainBatch how many entries one drain delivers at most
 */
@ConfigurationProperties("spanner.outbox")
public record OutboxProperties(Path directory, Integer maxEntries, Duration drainInterval, Integer drainBatch) {

    public OutboxProperties {
        Objects.requireNonNull(directory, "spanner.outbox.directory is required");
        Objects.requireNonNull(maxEntries, "spanner.outbox.max-entries is required");
        Objects.requireNonNull(drainInterval, "spanner.outbox.drain-interval is required");
        Objects.requireNonNull(drainBatch, "spanner.outbox.drain-batch is required");
        if (maxEntries < 1 || maxEntries > 10_000_000) {
            throw new IllegalArgumentException("spanner.outbox.max-entries must be 1..10000000, is " + maxEntries);
        }
        if (drainInterval.isNegative() || drainInterval.isZero()) {
            throw new IllegalArgumentException("spanner.outbox.drain-interval must be positive, is " + drainInterval);
        }
        if (drainBatch < 1 || drainBatch > 100_000) {
            throw new IllegalArgumentException("spanner.outbox.drain-batch must be 1..100000, is " + drainBatch);
        }
    }
}
