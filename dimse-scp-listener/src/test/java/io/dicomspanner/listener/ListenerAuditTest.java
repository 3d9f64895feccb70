package io.dicomspanner.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.dicom.interop.Echoscu;
import io.dicomspanner.dicom.interop.Findscu;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.listener.aetitle.ScpConfigs;
import io.dicomspanner.listener.server.DimseServer;
import io.dicomspanner.listener.testing.FindscuDebugLog;
import io.dicomspanner.listener.testing.SpanningDatabase;
import io.dicomspanner.schema.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every C-FIND through the listener is in the audit trail with the calling AE title, the client's address, the query
 * id and its filters as PHI tokens; and so is every refused association. Real PostgreSQL and RabbitMQ, no coordinator.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class ListenerAuditTest {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final TestDatabase DB = TestDatabase.create("spanner_listener");
    static final String AE = "SPAN_AUDIT";

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::url);
        registry.add("spanner.listener.dicom.bind-address", () -> "127.0.0.1");
        registry.add("spanner.listener.dicom.port", () -> 0);
        registry.add("spanner.listener.span.requests-routing-key", () -> "spanner.requests.listener-audit-" + RUN);
        registry.add("spanner.listener.config-refresh", () -> "1h");
    }

    @Autowired
    DimseServer server;

    @Autowired
    ScpConfigs configs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PhiTokenizer tokenizer;

    private long configId;

    @BeforeAll
    void config() {
        SpanningDatabase db = new SpanningDatabase(DB);
        long source = db.source("AUDIT-" + RUN, "AUDITED", 11112, true);
        configId = db.config(AE, true, List.of("WARD1"), "first_wins", 2, List.of(source));
        configs.refresh();
    }

    @AfterAll
    void dropDatabase() {
        DB.close();
    }

    @Test
    void aCFindIsAuditedWithTheCallingAeAddressQueryIdAndTokenizedFilters() throws Exception {
        Findscu.Result result = Findscu.to("127.0.0.1", server.port(), AE)
                .callingAe("WARD1")
                .level("STUDY")
                .key("PatientID", "12345")
                .options("-d")
                .run();
        assertThat(FindscuDebugLog.finalStatus(result)).as(result.log()).isEqualTo(Status.OUT_OF_RESOURCES);

        Map<String, Object> event = awaitEvent("query");
        assertThat(event.get("actor")).isEqualTo("ae:WARD1");
        assertThat(event.get("actor_address")).isEqualTo("127.0.0.1");
        assertThat(event.get("action")).isEqualTo("searched");
        assertThat(event.get("outcome")).isEqualTo("failed");
        String queryId = (String) event.get("query_id");
        assertThat(UUID.fromString(queryId).toString()).isEqualTo(queryId);
        assertThat(event.get("objects_without_query_id"))
                .isEqualTo(("{\"level\": \"study\", \"status\": \"A700\","
                                + " \"filters\": {\"PatientID\": \"%s\"}, \"config_id\": %d}")
                        .formatted(tokenizer.patientId("12345"), configId));
    }

    @Test
    void associationsRefusedForTheirAeTitlesAreAudited() throws Exception {
        Echoscu.Result unknownConfig = Echoscu.to("127.0.0.1", server.port(), "NO_SUCH_AE")
                .callingAe("WARD2")
                .run();
        Echoscu.Result notAllowed =
                Echoscu.to("127.0.0.1", server.port(), AE).callingAe("STRANGER").run();

        assertThat(unknownConfig.succeeded()).isFalse();
        assertThat(notAllowed.succeeded()).isFalse();
        List<Map<String, Object>> events = awaitEvents("dimse_association", 2);
        assertThat(events).extracting(e -> e.get("actor")).containsExactly("ae:WARD2", "ae:STRANGER");
        assertThat(events).extracting(e -> e.get("outcome")).containsExactly("refused", "refused");
        assertThat(events).extracting(e -> e.get("actor_address")).containsExactly("127.0.0.1", "127.0.0.1");
        assertThat(events)
                .extracting(e -> e.get("objects"))
                .containsExactly(
                        "{\"reason\": \"called AE title names no enabled spanning config\", \"called_ae_title\":"
                                + " \"NO_SUCH_AE\"}",
                        "{\"reason\": \"calling AE title not allowed to call this config\", \"called_ae_title\":"
                                + " \"SPAN_AUDIT\"}");
    }

    private Map<String, Object> awaitEvent(String entityType) throws InterruptedException {
        return awaitEvents(entityType, 1).get(0);
    }

    private List<Map<String, Object>> awaitEvents(String entityType, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        List<Map<String, Object>> rows;
        do {
            rows = jdbc.sql("""
                            select actor, actor_address, action, outcome, objects::text as objects,
                                   objects ->> 'query_id' as query_id,
                                   (objects - 'query_id')::text as objects_without_query_id
                            from audit_event where entity_type = ? order by id""").param(entityType).query().listOfRows();
            if (rows.size() >= count) {
                break;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        assertThat(rows).hasSize(count);
        return rows;
    }
}
