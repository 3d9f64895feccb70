package io.dicomspanner.common.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rows for PostgreSQL that must not be lost when PostgreSQL is away: {@link #send} delivers an entry at once, and
 * when that fails keeps it in a file of its own in the outbox directory (written, fsync'd, then renamed into place and
 * the directory fsync'd, so a crash leaves either the whole entry or none of it). A single background thread retries
 * the kept entries, oldest first, every {@code drain-interval}; an entry's file is deleted only after its delivery
 * committed. Deliveries must be idempotent (an insert that ignores a row it already has), because a crash between the
 * commit and the delete delivers the entry again.
 *
 * <p>While entries wait, new ones go straight to the outbox instead of each waiting for a connection that will not
 * come; the first successful retry sends them to PostgreSQL again. {@link #checkAdmission} refuses new work once the
 * outbox holds {@code max-entries}; {@link #send} itself keeps up to twice that (entries of work already admitted),
 * and beyond that, or when the disk fails, throws and counts a failure: an entry is never dropped without a trace.
 *
 * <p>An entry PostgreSQL refuses as invalid (a constraint violation) would block the outbox forever; it is moved to
 * {@code rejected/} beside the outbox, logged and counted as a failure, for an operator to inspect.
 *
 * @param <T> the entry: a record that the JSON mapper writes and reads back, carrying no PHI in clear text
 */
public final class FileOutbox<T> implements AutoCloseable {

    /** Delivers one entry to PostgreSQL, idempotently; throws when it could not. */
    @FunctionalInterface
    public interface Delivery<T> {
        void deliver(T entry);
    }

    private static final Logger log = LoggerFactory.getLogger(FileOutbox.class);
    private static final String SUFFIX = ".json";
    private static final String TEMPORARY = ".tmp";

    private final String name;
    private final Path directory;
    private final Path rejected;
    private final int maxEntries;
    private final int drainBatch;
    private final Class<T> type;
    private final JsonMapper json;
    private final Delivery<T> delivery;
    private final AtomicInteger depth = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final ReentrantLock draining = new ReentrantLock();
    private final Counter appended;
    private final Counter delivered;
    private final Counter retries;
    private final Counter failures;
    private final ScheduledExecutorService drainer;

    /** Set when a delivery failed; cleared by the first retry that succeeds. */
    private volatile boolean databaseAway;

    /**
     * Opens the outbox {@code name} under the configured directory (creating it), counts the entries a previous run
     * left, and starts retrying them.
     */
    public FileOutbox(
            String name,
            OutboxProperties properties,
            Class<T> type,
            JsonMapper json,
            Delivery<T> delivery,
            MeterRegistry registry) {
        this.name = name;
        this.directory = properties.directory().resolve(name);
        this.rejected = properties.directory().resolve(name + "-rejected");
        this.maxEntries = properties.maxEntries();
        this.drainBatch = properties.drainBatch();
        this.type = type;
        this.json = json;
        this.delivery = delivery;
        try {
            Files.createDirectories(directory);
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String fileName = file.getFileName().toString();
                    if (fileName.endsWith(TEMPORARY)) {
                        Files.delete(file); // a write that a crash interrupted before it counted
                    } else if (fileName.endsWith(SUFFIX)) {
                        depth.incrementAndGet();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the " + name + " outbox in " + directory, e);
        }
        databaseAway = depth.get() > 0;
        if (depth.get() > 0) {
            log.warn("The {} outbox holds {} entries from a previous run; delivering them", name, depth.get());
        }
        Gauge.builder("spanner.outbox.depth", depth, AtomicInteger::get)
                .description("Entries waiting in the outbox for PostgreSQL")
                .tag("outbox", name)
                .register(registry);
        this.appended = counter(registry, "spanner.outbox.appended", "Entries kept in the outbox for a retry");
        this.delivered = counter(registry, "spanner.outbox.delivered", "Entries delivered from the outbox");
        this.retries = counter(registry, "spanner.outbox.retries", "Retries from the outbox that failed again");
        this.failures = counter(
                registry,
                "spanner.outbox.failures",
                "Entries neither delivered nor kept (outbox beyond its limit, disk error) or rejected by PostgreSQL");
        this.drainer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "outbox-" + name);
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.drainInterval().toMillis();
        drainer.scheduleWithFixedDelay(this::drainQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    private Counter counter(MeterRegistry registry, String meter, String description) {
        return Counter.builder(meter)
                .description(description)
                .tag("outbox", name)
                .register(registry);
    }

    /**
     * Refuses new work that would add an entry while the outbox is full.
     *
     * @throws OutboxFullException when it holds {@code max-entries} or more
     */
    public void checkAdmission() {
        int held = depth.get();
        if (held >= maxEntries) {
            throw new OutboxFullException(name, held);
        }
    }

    /**
     * Delivers the entry now, or keeps it for a retry when PostgreSQL is away.
     *
     * @throws OutboxFullException when it could be neither delivered nor kept: the outbox is beyond twice its limit
     * @throws UncheckedIOException when it could be neither delivered nor written to disk
     */
    public void send(T entry) {
        if (!databaseAway) {
            try {
                delivery.deliver(entry);
                return;
            } catch (DataIntegrityViolationException e) {
                failures.increment();
                throw e; // invalid: a retry would fail the same way, and the caller should hear of it
            } catch (RuntimeException e) {
                databaseAway = true;
                log.warn("PostgreSQL did not take a {} entry ({}); keeping entries in the outbox", name, e.toString());
            }
        }
        append(entry);
    }

    /** Entries waiting for a retry. */
    public int depth() {
        return depth.get();
    }

    private void append(T entry) {
        int held = depth.get();
        if (held >= 2 * maxEntries) {
            failures.increment();
            log.error("The {} outbox holds {} entries, twice spanner.outbox.max-entries: an entry is lost", name, held);
            throw new OutboxFullException(name, held);
        }
        String base = String.format(
                "%019d-%012d-%s", System.currentTimeMillis(), sequence.incrementAndGet(), UUID.randomUUID());
        Path temporary = directory.resolve(base + TEMPORARY);
        Path file = directory.resolve(base + SUFFIX);
        try {
            byte[] bytes = json.writeValueAsBytes(entry);
            try (FileChannel channel =
                    FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory();
            depth.incrementAndGet();
            appended.increment();
        } catch (IOException | RuntimeException e) {
            failures.increment();
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // the next start removes it
            }
            log.error("A {} entry could be neither delivered nor kept in {}: it is lost", name, directory, e);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void forceDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /**
     * Delivers kept entries, oldest first, up to {@code drain-batch} of them; stops at the first that fails again.
     *
     * @return how many were delivered
     */
    public int drain() {
        if (!draining.tryLock()) {
            return 0;
        }
        try {
            if (depth.get() == 0) {
                databaseAway = false;
                return 0;
            }
            List<Path> files;
            try (Stream<Path> listed = Files.list(directory)) {
                files = listed.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                        .sorted()
                        .limit(drainBatch)
                        .toList();
            }
            int count = 0;
            for (Path file : files) {
                T entry;
                try {
                    entry = json.readValue(Files.readAllBytes(file), type);
                } catch (RuntimeException e) {
                    reject(file, "cannot be read back", e);
                    continue;
                }
                try {
                    delivery.deliver(entry);
                } catch (DataIntegrityViolationException e) {
                    reject(file, "was refused by PostgreSQL", e);
                    continue;
                } catch (RuntimeException e) {
                    retries.increment();
                    databaseAway = true;
                    log.debug("{} outbox: retry failed ({}), {} entries wait", name, e.toString(), depth.get());
                    return count;
                }
                Files.delete(file);
                depth.decrementAndGet();
                delivered.increment();
                count++;
            }
            if (count > 0) {
                log.info("{} outbox: delivered {} entries, {} wait", name, count, depth.get());
            }
            databaseAway = false; // every entry of the batch went through: PostgreSQL is back
            return count;
        } catch (IOException e) {
            log.error("{} outbox: cannot read {}", name, directory, e);
            return 0;
        } finally {
            draining.unlock();
        }
    }

    private void reject(Path file, String why, RuntimeException e) throws IOException {
        failures.increment();
        Files.createDirectories(rejected);
        Files.move(file, rejected.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        depth.decrementAndGet();
        log.error("{} outbox: entry {} {}; moved to {}", name, file.getFileName(), why, rejected, e);
    }

    private void drainQuietly() {
        try {
            drain();
        } catch (RuntimeException e) {
            log.error("{} outbox: drain failed", name, e);
        }
    }

    @Override
    public void close() {
        drainer.shutdownNow();
    }
}
