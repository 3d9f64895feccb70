package io.dicomspanner.gateway.querylog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.querylog.QueryLogEntry;
import io.dicomspanner.common.querylog.QueryLogStatus;
import io.dicomspanner.common.querylog.QueryLogWriter;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.gateway.GatewayTest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Rows of exact content are inserted through the repository; the services insert theirs with the common
 * {@link QueryLogWriter}, which one test uses.
 */
class QueryLogApiTest extends GatewayTest {

    @Autowired
    QueryLogRepository queryLog;

    @Autowired
    PhiTokenizer phiTokenizer;

    @Autowired
    QueryLogWriter writer;

    static final UUID DOE_QIDO = UUID.fromString("00000000-0000-4000-8000-000000000001");
    static final UUID DOE_DIMSE = UUID.fromString("00000000-0000-4000-8000-000000000002");
    static final UUID ROE_QIDO = UUID.fromString("00000000-0000-4000-8000-000000000003");
    static final UUID NO_PATIENT = UUID.fromString("00000000-0000-4000-8000-000000000004");

    @BeforeEach
    void fourLoggedQueries() {
        queryLog.save(
                entry(DOE_QIDO, "2026-10-03T10:00:00Z", 1L, EntryPoint.QIDO, QueryLogStatus.COMPLETED, "DOE-123"));
        queryLog.save(
                entry(DOE_DIMSE, "2026-11-04T10:00:00Z", 2L, EntryPoint.DIMSE, QueryLogStatus.PARTIAL, "DOE-123"));
        queryLog.save(entry(ROE_QIDO, "2026-11-05T10:00:00Z", 1L, EntryPoint.QIDO, QueryLogStatus.FAILED, "ROE-456"));
        queryLog.save(entry(NO_PATIENT, "2025-01-01T00:00:00Z", 1L, EntryPoint.QIDO, QueryLogStatus.COMPLETED, null));
    }

    @Test
    void searchByRealPatientIdFindsItsQueriesNewestFirst() {
        Reply reply = post("/api/v1/query-log/search/", "{\"patient_id\": \"DOE-123\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(ids(reply)).containsExactly(DOE_DIMSE.toString(), DOE_QIDO.toString());
        assertThat(reply.body().get("total_items").asLong()).isEqualTo(2);
        assertThat(reply.body()
                        .get("items")
                        .get(0)
                        .get("tokenized_filters")
                        .get("PatientID")
                        .asString())
                .isEqualTo(phiTokenizer.patientId("DOE-123"));
        assertThat(reply.raw().body()).doesNotContain("DOE-123");
    }

    @Test
    void patientIdIsNormalisedLikeDicomBeforeMatching() {
        assertThat(ids(post("/api/v1/query-log/search", "{\"patient_id\": \" ROE-456 \"}")))
                .containsExactly(ROE_QIDO.toString());
    }

    @Test
    void criteriaCombine() {
        assertThat(ids(post("/api/v1/query-log/search", "{\"patient_id\": \"DOE-123\", \"entry_point\": \"qido\"}")))
                .containsExactly(DOE_QIDO.toString());
        assertThat(ids(post("/api/v1/query-log/search", "{\"config_id\": 1, \"status\": \"failed\"}")))
                .containsExactly(ROE_QIDO.toString());
        assertThat(ids(post("/api/v1/query-log/search", """
                        {"from": "2026-11-01T00:00:00Z", "to": "2026-11-05T00:00:00Z"}"""))).containsExactly(DOE_DIMSE.toString());
        assertThat(ids(post("/api/v1/query-log/search", "{\"patient_id\": \"NOBODY\"}")))
                .isEmpty();
    }

    @Test
    void emptySearchListsEverythingPaginated() {
        Reply first = post("/api/v1/query-log/search?size=3", "{}");
        Reply second = post("/api/v1/query-log/search?size=3&page=1", "{}");

        assertThat(ids(first)).containsExactly(ROE_QIDO.toString(), DOE_DIMSE.toString(), DOE_QIDO.toString());
        assertThat(ids(second)).containsExactly(NO_PATIENT.toString());
        assertThat(first.body().get("total_items").asLong()).isEqualTo(4);
    }

    @Test
    void entryIsReadableByIdWithEveryField() {
        Reply reply = get("/api/v1/query-log/" + DOE_DIMSE);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("id").asString()).isEqualTo(DOE_DIMSE.toString());
        assertThat(reply.body().get("started_at").asString()).isEqualTo("2026-11-04T10:00:00Z");
        assertThat(reply.body().get("config_id").asLong()).isEqualTo(2);
        assertThat(reply.body().get("config_version").asLong()).isEqualTo(7);
        assertThat(reply.body().get("query_level").asString()).isEqualTo("study");
        assertThat(reply.body().get("entry_point").asString()).isEqualTo("dimse");
        assertThat(reply.body().get("tokenized_filters").get("StudyDate").asString())
                .isEqualTo("20261001-");
        assertThat(reply.body().get("caller_ae_title").asString()).isEqualTo("CT01");
        assertThat(reply.body().get("caller_address").asString()).isEqualTo("192.0.2.10");
        assertThat(reply.body().get("sources_asked").asInt()).isEqualTo(8);
        assertThat(reply.body().get("sources_answered").asInt()).isEqualTo(7);
        assertThat(reply.body().get("sources_failed").asInt()).isEqualTo(1);
        assertThat(reply.body().get("matches_before_dedup").asInt()).isEqualTo(40);
        assertThat(reply.body().get("matches_after_dedup").asInt()).isEqualTo(25);
        assertThat(reply.body().get("duration_ms").asLong()).isEqualTo(420);
        assertThat(reply.body().get("status").asString()).isEqualTo("partial");
        assertThat(reply.body().get("error").isNull()).isTrue();
    }

    @Test
    void rowsLandInTheirMonthsPartitionOrTheDefaultOne() {
        Instant now = Instant.now();
        UUID current = UUID.fromString("00000000-0000-4000-8000-000000000005");
        queryLog.save(entry(current, now.toString(), 1L, EntryPoint.QIDO, QueryLogStatus.COMPLETED, null));
        String currentMonth = java.time.format.DateTimeFormatter.ofPattern("yyyy_MM")
                .withZone(java.time.ZoneOffset.UTC)
                .format(now);

        assertThat(partitionOf(current)).isEqualTo("query_log_" + currentMonth);
        assertThat(partitionOf(NO_PATIENT)).isEqualTo("query_log_default");
    }

    private String partitionOf(UUID id) {
        return jdbc.sql("select tableoid::regclass::text from query_log where id = ?")
                .param(id)
                .query(String.class)
                .single();
    }

    @Test
    void unknownIdIs404AndMalformedIdIs400() {
        assertThat(get("/api/v1/query-log/" + UUID.fromString("00000000-0000-4000-8000-0000000000ff"))
                        .status())
                .isEqualTo(404);
        Reply malformed = get("/api/v1/query-log/not-a-uuid");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(errorFields(malformed)).containsExactly("id");
    }

    @Test
    void invalidSearchesAre400() {
        Reply badValues = post("/api/v1/query-log/search", "{\"entry_point\": \"hl7\", \"status\": \"done\"}");
        assertThat(badValues.status()).isEqualTo(400);
        assertThat(errorFields(badValues)).containsExactlyInAnyOrder("entry_point", "status");

        Reply backwards = post("/api/v1/query-log/search", """
                {"from": "2026-11-05T00:00:00Z", "to": "2026-11-01T00:00:00Z"}""");
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(errorFields(backwards)).containsExactly("to");
    }

    @Test
    void queriesAreLoggedAndFoundByHowTheyEnded() {
        UUID complete = UUID.fromString("00000000-0000-4000-8000-000000000011");
        UUID timedOut = UUID.fromString("00000000-0000-4000-8000-000000000012");
        writer.write(written(complete, QueryState.COMPLETE));
        writer.write(written(timedOut, QueryState.TIMED_OUT));

        assertThat(ids(post("/api/v1/query-log/search", "{\"config_id\": 3, \"status\": \"completed\"}")))
                .containsExactly(complete.toString());
        assertThat(ids(post("/api/v1/query-log/search", "{\"config_id\": 3, \"status\": \"failed\"}")))
                .containsExactly(timedOut.toString());
        assertThat(get("/api/v1/query-log/" + complete).body().get("status").asString())
                .isEqualTo("completed");
        assertThat(get("/api/v1/query-log/" + timedOut).body().get("status").asString())
                .isEqualTo("failed");
    }

    /** A query of config 3 that ended in {@code state}, as a service hands it to the query log writer. */
    private static QueryLogEntry written(UUID id, QueryState state) {
        SpanQuery query = new SpanQuery(
                3, QueryLevel.STUDY, QidoResource.ALL_STUDIES, List.of(), List.of(), false, false, null, 0);
        SpanRequest request =
                new SpanRequest(id.toString(), query, EntryPoint.QIDO, "api-key:1", "replies", false, 0, null);
        return new QueryLogEntry(request, Instant.parse("2026-11-06T10:00:00Z"), 1L, 2, 1, 1, 3, 3, 50, state, null);
    }

    @Test
    void searchNeedsAdminScope() {
        String queryKey = post("/api/v1/api-keys", "{\"name\": \"v\", \"scopes\": [\"query\"]}")
                .body()
                .get("key")
                .asString();

        assertThat(send("POST", "/api/v1/query-log/search", queryKey, "{\"patient_id\": \"DOE-123\"}")
                        .status())
                .isEqualTo(403);
    }

    private QueryLogRow entry(
            UUID id, String startedAt, Long configId, EntryPoint entryPoint, QueryLogStatus status, String patientId) {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("StudyDate", "20261001-");
        if (patientId != null) {
            filters.put("PatientID", patientId);
        }
        return new QueryLogRow(new QueryLogRecord(
                id,
                Instant.parse(startedAt),
                configId,
                7L,
                QueryLevel.STUDY,
                entryPoint,
                phiTokenizer.tokenizeFilters(filters),
                null,
                entryPoint == EntryPoint.DIMSE ? "CT01" : null,
                "192.0.2.10",
                8,
                7,
                1,
                40,
                25,
                420,
                status,
                null));
    }

    private static List<String> ids(Reply reply) {
        return reply.body()
                .get("items")
                .valueStream()
                .map(e -> e.get("id").asString())
                .toList();
    }
}
