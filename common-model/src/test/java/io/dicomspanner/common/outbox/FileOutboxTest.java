package io.dicomspanner.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox's file mechanics, with a delivery that stands for PostgreSQL being there or away (the outage with a real
 * PostgreSQL is the api-gateway's AuditOutboxOutageTest).
 */
class FileOutboxTest {

    record Entry(int n, String text) {}

    /** A destination that refuses everything while {@code away}. */
    static final class Destination implements FileOutbox.Delivery<Entry> {
        final List<Entry> received = new ArrayList<>();
        boolean away;
        Integer invalid;

        @Override
        public synchronized void deliver(Entry entry) {
            if (invalid != null && entry.n() == invalid) {
                throw new DataIntegrityViolationException("check constraint");
            }
            if (away) {
                throw new DataAccessResourceFailureException("connection refused");
            }
            received.add(entry);
        }
    }

    @TempDir
    Path directory;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final JsonMapper json = JsonMapper.builder().build();

    private FileOutbox<Entry> open(Destination destination, int maxEntries) {
        return new FileOutbox<>(
                "test",
                new OutboxProperties(directory, maxEntries, Duration.ofHours(1), 2),
                Entry.class,
                json,
                destination,
                registry);
    }

    private List<String> files(String sub) throws IOException {
        Path dir = directory.resolve(sub);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void entriesGoStraightThroughWhileTheDestinationIsThere() throws IOException {
        Destination destination = new Destination();
        try (FileOutbox<Entry> outbox = open(destination, 10)) {
            outbox.send(new Entry(1, "a"));

            assertThat(destination.received).containsExactly(new Entry(1, "a"));
            assertThat(outbox.depth()).isZero();
            assertThat(files("test")).isEmpty();
        }
    }

    @Test
    void entriesWaitOnDiskWhileTheDestinationIsAwayAndArriveOnceInOrderWhenItIsBack() throws IOException {
        Destination destination = new Destination();
        destination.away = true;
        try (FileOutbox<Entry> outbox = open(destination, 10)) {
            outbox.send(new Entry(1, "a"));
            outbox.send(new Entry(2, "b"));
            outbox.send(new Entry(3, "c"));

            assertThat(outbox.depth()).isEqualTo(3);
            assertThat(files("test")).hasSize(3).allMatch(name -> name.endsWith(".json"));
            assertThat(outbox.drain()).isZero();
            assertThat(registry.get("spanner.outbox.retries").counter().count()).isEqualTo(1.0);
            assertThat(registry.get("spanner.outbox.depth").gauge().value()).isEqualTo(3.0);

            destination.away = false;
            assertThat(outbox.drain()).isEqualTo(2); // drain-batch 2
            assertThat(outbox.drain()).isEqualTo(1);

            assertThat(destination.received).containsExactly(new Entry(1, "a"), new Entry(2, "b"), new Entry(3, "c"));
            assertThat(outbox.depth()).isZero();
            assertThat(files("test")).isEmpty();
            assertThat(registry.get("spanner.outbox.appended").counter().count())
                    .isEqualTo(3.0);
            assertThat(registry.get("spanner.outbox.delivered").counter().count())
                    .isEqualTo(3.0);
            assertThat(registry.get("spanner.outbox.failures").counter().count())
                    .isZero();
        }
    }

    @Test
    void entriesLeftByAStoppedServiceAreDeliveredByTheNextAndHalfWrittenOnesAreRemoved() throws IOException {
        Destination away = new Destination();
        away.away = true;
        try (FileOutbox<Entry> outbox = open(away, 10)) {
            outbox.send(new Entry(7, "kept"));
        }
        Files.writeString(directory.resolve("test").resolve("0000000000000000001-x.tmp"), "{\"n\":");

        Destination back = new Destination();
        try (FileOutbox<Entry> reopened = open(back, 10)) {
            assertThat(reopened.depth()).isEqualTo(1);
            assertThat(files("test")).hasSize(1).noneMatch(name -> name.endsWith(".tmp"));

            // Entries wait for the drain rather than overtaking the older ones on disk.
            reopened.send(new Entry(8, "new"));
            assertThat(reopened.drain()).isEqualTo(2);
            assertThat(back.received).containsExactly(new Entry(7, "kept"), new Entry(8, "new"));
        }
    }

    @Test
    void aFullOutboxRefusesAdmissionAndBeyondTwiceItsLimitRefusesToKeep() {
        Destination destination = new Destination();
        destination.away = true;
        try (FileOutbox<Entry> outbox = open(destination, 2)) {
            outbox.send(new Entry(1, "a"));
            outbox.checkAdmission();
            outbox.send(new Entry(2, "b"));

            assertThatThrownBy(outbox::checkAdmission)
                    .isInstanceOf(OutboxFullException.class)
                    .hasMessage("The test outbox holds 2 entries waiting for PostgreSQL, its limit"
                            + " (spanner.outbox.max-entries)");
            outbox.send(new Entry(3, "c"));
            outbox.send(new Entry(4, "d"));
            assertThatThrownBy(() -> outbox.send(new Entry(5, "e"))).isInstanceOf(OutboxFullException.class);
            assertThat(outbox.depth()).isEqualTo(4);
            assertThat(registry.get("spanner.outbox.failures").counter().count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void anEntryTheDestinationRefusesAsInvalidIsSetAsideAndDoesNotBlockTheOthers() throws IOException {
        Destination destination = new Destination();
        destination.away = true;
        try (FileOutbox<Entry> outbox = open(destination, 10)) {
            outbox.send(new Entry(1, "bad"));
            outbox.send(new Entry(2, "good"));
            destination.away = false;
            destination.invalid = 1;

            assertThat(outbox.drain()).isEqualTo(1);

            assertThat(destination.received).containsExactly(new Entry(2, "good"));
            assertThat(outbox.depth()).isZero();
            assertThat(files("test-rejected")).hasSize(1);
            assertThat(Files.readString(directory
                            .resolve("test-rejected")
                            .resolve(files("test-rejected").get(0))))
                    .isEqualTo("{\"n\":1,\"text\":\"bad\"}");
            assertThat(registry.get("spanner.outbox.failures").counter().count())
                    .isEqualTo(1.0);
        }
    }
}
