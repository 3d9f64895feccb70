package io.dicomspanner.worker.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.testing.TestDatabase;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker of one site group ({@code spanner.worker.source-locations}, {@code source-tags}, as the environment
 * variables give them) serves the enabled sources of its locations and tags, plus its listed ids, and follows the
 * sources table as sources join or leave a location. Real PostgreSQL (a database of this run) and RabbitMQ.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "spanner.worker.health.enabled=false",
            // the test refreshes itself, so each step is deterministic
            "spanner.worker.source-refresh=1h"
        })
@DirtiesContext
class SourcesByLocationTest {

    private static final long FIRST =
            7_000_000_000L + ThreadLocalRandom.current().nextLong(100_000_000L) * 10;
    private static final String NORTH = "worker-test-north-" + FIRST;
    private static final String EAST = "worker-test-east-" + FIRST;
    private static final String TAG = "worker-test-tag-" + FIRST;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spanner.worker.sources", () -> String.valueOf(LISTED));
        // comma-separated with blanks, as SPANNER_WORKER_SOURCELOCATIONS=" north, east" would give them
        registry.add("spanner.worker.source-locations", () -> " " + NORTH + ", " + EAST);
        registry.add("spanner.worker.source-tags", () -> TAG);
    }

    private static final long NORTH_A = FIRST;
    private static final long NORTH_OFF = FIRST + 1;
    private static final long SOUTH = FIRST + 2;
    private static final long EAST_B = FIRST + 3;
    private static final long TAGGED = FIRST + 4;
    private static final long LISTED = FIRST + 5;
    private static final long JOINS = FIRST + 6;

    @Autowired
    ServedSources served;

    @Autowired
    WorkerProperties properties;

    @Autowired
    DirectMessageListenerContainer taskListenerContainer;

    @Autowired
    AmqpAdmin admin;

    @AfterEach
    void cleanUp() {
        taskListenerContainer.stop();
        for (long id : new long[] {NORTH_A, NORTH_OFF, SOUTH, EAST_B, TAGGED, LISTED, JOINS}) {
            admin.deleteQueue(Topology.taskQueue(id));
            TestDatabase.update("delete from dicom_source where id = ?", id);
        }
    }

    @Test
    void servesTheEnabledSourcesOfItsLocationsAndTagsAndFollowsThemAsTheyChange() {
        assertThat(properties.sourceLocations()).containsExactly(NORTH, EAST);
        assertThat(properties.sourceTags()).containsExactly(TAG);
        source(NORTH_A, "NORTH_A", NORTH, "{}", true);
        source(NORTH_OFF, "NORTH_OFF", NORTH, "{}", false);
        source(SOUTH, "SOUTH", "worker-test-south-" + FIRST, "{other}", true);
        source(EAST_B, "EAST_B", EAST, "{}", true);
        source(TAGGED, "TAGGED", null, "{other," + TAG + "}", true);
        source(JOINS, "JOINS", null, "{}", true);

        // LISTED is served by its id though the table does not have it (yet)
        assertThat(served.refresh()).containsExactlyInAnyOrder(LISTED, NORTH_A, EAST_B, TAGGED);
        assertThat(taskListenerContainer.getQueueNames())
                .containsExactlyInAnyOrder(
                        Topology.taskQueue(LISTED),
                        Topology.taskQueue(NORTH_A),
                        Topology.taskQueue(EAST_B),
                        Topology.taskQueue(TAGGED));
        assertThat(served.serves(SOUTH)).isFalse();
        assertThat(served.serves(NORTH_OFF)).isFalse();

        // a source moves into the group, another leaves it, a disabled one is enabled
        TestDatabase.update("update dicom_source set location = ? where id = ?", NORTH, JOINS);
        TestDatabase.update("update dicom_source set location = ? where id = ?", "worker-test-south-" + FIRST, EAST_B);
        TestDatabase.update("update dicom_source set enabled = true where id = ?", NORTH_OFF);

        assertThat(served.refresh()).containsExactlyInAnyOrder(LISTED, NORTH_A, NORTH_OFF, TAGGED, JOINS);
        assertThat(taskListenerContainer.getQueueNames())
                .containsExactlyInAnyOrder(
                        Topology.taskQueue(LISTED),
                        Topology.taskQueue(NORTH_A),
                        Topology.taskQueue(NORTH_OFF),
                        Topology.taskQueue(TAGGED),
                        Topology.taskQueue(JOINS));
        assertThat(served.serves(EAST_B)).isFalse();
    }

    private static void source(long id, String aeTitle, String location, String tags, boolean enabled) {
        TestDatabase.insertSource(id, aeTitle, 11112, enabled);
        TestDatabase.update(
                "update dicom_source set location = ?, tags = cast(? as text[]) where id = ?", location, tags, id);
    }
}
