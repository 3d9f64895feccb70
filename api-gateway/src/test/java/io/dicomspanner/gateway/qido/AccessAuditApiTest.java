package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.phi.PhiTokenizer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Every access to PHI through the gateway is in the audit trail, whatever its outcome, with the key, the client's
 * address and what was accessed (PHI as tokens); and so is every refused request. Over real HTTP, RabbitMQ, Redis and
 * PostgreSQL with a {@link TestCoordinator}.
 */
class AccessAuditApiTest extends QidoApiTest {

    @Autowired
    PhiTokenizer tokenizer;

    @Test
    void asyncAndSynchronousSearchesAreAuditedWithKeyAddressQueryIdAndTokenizedFilters() {
        Reply accepted = search("/api/v1/spanner/qido/studies?PatientID=12345&async=true", null);
        String asyncId = accepted.body().get("query_id").asString();
        forgetAfterwards(asyncId);
        coordinator.takeRequest();
        CompletableFuture<Reply> reply = searchInBackground("/dicomweb/1/studies?PatientName=DOE%5EJOHN", null);
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(request, answer(request, QueryState.COMPLETE, List.of(study()), List.of(), 0));
        assertThat(reply.join().status()).isEqualTo(200);

        List<JsonNode> events = awaitEvents("query", 2);

        JsonNode async = events.get(1);
        assertThat(async.get("actor").asString()).isEqualTo("api-key:viewer");
        assertThat(async.get("actor_api_key_id").asLong()).isEqualTo(queryKeyId);
        assertThat(async.get("actor_address").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(async.get("entity_id").isNull()).isTrue();
        assertThat(async.get("action").asString()).isEqualTo("searched");
        assertThat(async.get("outcome").asString()).isEqualTo("success");
        assertThat(async.get("objects"))
                .isEqualTo(json.readTree(jsonOf("""
                {'method': 'GET', 'path': '/api/v1/spanner/qido/studies', 'status': 202, 'config_id': 1,
                 'config_version': 1, 'level': 'study', 'async': true, 'query_id': '%s',
                 'filters': {'PatientID': '%s'}}""".formatted(asyncId, tokenizer.patientId("12345")))));
        JsonNode sync = events.get(0);
        assertThat(sync.get("outcome").asString()).isEqualTo("success");
        assertThat(sync.get("objects"))
                .isEqualTo(json.readTree(jsonOf("""
                {'method': 'GET', 'path': '/dicomweb/1/studies', 'status': 200, 'config_id': 1, 'config_version': 1,
                 'level': 'study', 'async': false, 'query_id': '%s',
                 'filters': {'PatientName': '%s'}}""".formatted(request.queryId(), tokenizer.patientName("DOE^JOHN")))));
        assertThat(clearTextRows("12345")).isZero();
        assertThat(clearTextRows("DOE")).isZero();
    }

    @Test
    void readsOfStatusAndResultsAreAuditedAndAnUnknownQueryIsAFailedRead() {
        String queryId = search("/api/v1/spanner/qido/studies?PatientID=12345&async=true", null)
                .body()
                .get("query_id")
                .asString();
        forgetAfterwards(queryId);
        coordinator.takeRequest();
        String unknown = UUID.randomUUID().toString();

        assertThat(search("/api/v1/spanner/queries/" + queryId + "/status", null)
                        .status())
                .isEqualTo(200);
        assertThat(search("/api/v1/spanner/queries/" + queryId + "/results", null)
                        .status())
                .isEqualTo(202);
        assertThat(search("/api/v1/spanner/queries/" + unknown + "/status", null)
                        .status())
                .isEqualTo(404);

        List<JsonNode> reads = awaitEvents("query_result", 3);
        assertThat(reads.stream().map(e -> e.get("action").asString())).containsExactly("read", "read", "read");
        assertThat(reads.stream().map(e -> e.get("outcome").asString()))
                .containsExactly("failed", "success", "success");
        assertThat(reads.get(0).get("objects")).isEqualTo(json.readTree(jsonOf("""
                {'method': 'GET', 'path': '/api/v1/spanner/queries/%s/status', 'status': 404, 'query_id': '%s'}""".formatted(unknown, unknown))));
        assertThat(reads.get(1).get("objects")).isEqualTo(json.readTree(jsonOf("""
                {'method': 'GET', 'path': '/api/v1/spanner/queries/%s/results', 'status': 202, 'query_id': '%s'}""".formatted(queryId, queryId))));
        assertThat(reads.get(2).get("actor").asString()).isEqualTo("api-key:viewer");
    }

    @Test
    void refusedKeysAreAuditedWithWhateverIsKnownOfTheCaller() {
        Reply noKey = search("/api/v1/spanner/qido/studies?PatientID=12345", null, null);
        Reply badKey = search("/api/v1/spanner/qido/studies?PatientID=12345", null, "not-a-key");
        Reply outOfScope = search("/api/v1/sources", null, queryKey);
        assertThat(post("/api/v1/config/spanner", jsonOf("{'name': 'Research'}"))
                        .status())
                .isEqualTo(201);
        String ward = post("/api/v1/api-keys", jsonOf("""
                        {'name': 'ward', 'scopes': ['query'], 'allowed_config_ids': [2]}""")).body().get("key").asString();
        Reply otherConfig = search("/api/v1/spanner/qido/studies?PatientID=12345", null, ward);

        assertThat(noKey.status()).isEqualTo(401);
        assertThat(badKey.status()).isEqualTo(401);
        assertThat(outOfScope.status()).isEqualTo(403);
        assertThat(otherConfig.status()).isEqualTo(403);
        List<JsonNode> searches = awaitEvents("query", 3);
        assertThat(searches.stream().map(e -> e.get("outcome").asString()))
                .containsExactly("refused", "refused", "refused");
        assertThat(searches.stream().map(e -> e.get("action").asString()))
                .containsExactly("refused", "refused", "refused");
        assertThat(searches.stream().map(e -> e.get("actor").asString()))
                .containsExactly("api-key:ward", "anonymous", "anonymous");
        assertThat(searches.get(0).get("actor_api_key_id").asLong()).isEqualTo(3);
        assertThat(searches.get(1).get("actor_api_key_id").isNull()).isTrue();
        assertThat(searches.get(0).get("objects"))
                .isEqualTo(json.readTree(jsonOf("""
                {'method': 'GET', 'path': '/api/v1/spanner/qido/studies', 'status': 403, 'config_id': 1,
                 'config_version': 1, 'level': 'study', 'async': false,
                 'filters': {'PatientID': '%s'}}""".formatted(tokenizer.patientId("12345")))));
        assertThat(searches.get(2).get("objects")).isEqualTo(json.readTree(jsonOf("""
                {'method': 'GET', 'path': '/api/v1/spanner/qido/studies', 'status': 401}""")));
        JsonNode admin = awaitEvents("api_request", 1).get(0);
        assertThat(admin.get("actor").asString()).isEqualTo("api-key:viewer");
        assertThat(admin.get("actor_api_key_id").asLong()).isEqualTo(queryKeyId);
        assertThat(admin.get("outcome").asString()).isEqualTo("refused");
        assertThat(admin.get("objects")).isEqualTo(json.readTree(jsonOf("""
                {'method': 'GET', 'path': '/api/v1/sources', 'status': 403}""")));
    }

    @Test
    void aSearchBeyondTheKeysRateIsAuditedAsRefused() {
        String script = post("/api/v1/api-keys", jsonOf("""
                        {'name': 'script', 'scopes': ['query'], 'queries_per_second': 1}""")).body().get("key").asString();
        Reply first = search("/api/v1/spanner/qido/studies?PatientID=12345&async=true", null, script);
        Reply second = search("/api/v1/spanner/qido/studies?PatientID=12345&async=true", null, script);
        forgetAfterwards(first.body().get("query_id").asString());
        coordinator.takeRequest();

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(429);
        List<JsonNode> events = awaitEvents("query", 2);
        assertThat(events.stream().map(e -> e.get("outcome").asString())).containsExactly("refused", "success");
        assertThat(events.get(0).get("objects").get("status").asInt()).isEqualTo(429);
        assertThat(events.get(0).get("actor").asString()).isEqualTo("api-key:script");
    }

    @Test
    void queryLogSearchesAndReadsAreAuditedWithThePatientIdAsToken() {
        Reply found = post("/api/v1/query-log/search", jsonOf("""
                {'patient_id': 'MRN-778899', 'entry_point': 'qido', 'from': '2026-01-01T00:00:00Z'}"""));
        String unknown = UUID.randomUUID().toString();
        Reply missing = get("/api/v1/query-log/" + unknown);

        assertThat(found.status()).isEqualTo(200);
        assertThat(missing.status()).isEqualTo(404);
        List<JsonNode> events = awaitEvents("query_log", 2);
        assertThat(events.get(1).get("actor").asString()).isEqualTo("api-key:test-admin");
        assertThat(events.get(1).get("action").asString()).isEqualTo("searched");
        assertThat(events.get(1).get("outcome").asString()).isEqualTo("success");
        assertThat(events.get(1).get("objects"))
                .isEqualTo(json.readTree(jsonOf("""
                {'method': 'POST', 'path': '/api/v1/query-log/search', 'status': 200,
                 'criteria': {'patient_id': '%s', 'entry_point': 'qido', 'from': '2026-01-01T00:00:00Z'}}""".formatted(tokenizer.patientId("MRN-778899")))));
        assertThat(events.get(0).get("action").asString()).isEqualTo("read");
        assertThat(events.get(0).get("outcome").asString()).isEqualTo("failed");
        assertThat(events.get(0).get("objects")).isEqualTo(json.readTree(jsonOf("""
                {'method': 'GET', 'path': '/api/v1/query-log/%s', 'status': 404, 'query_id': '%s'}""".formatted(unknown, unknown))));
        assertThat(clearTextRows("MRN-778899")).isZero();
    }

    /**
     * The audit events of one entity type, newest first, once there are {@code count} of them: an access is recorded
     * as its response completes, which the client may see a moment before.
     */
    private List<JsonNode> awaitEvents(String entityType, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            JsonNode items =
                    get("/api/v1/audit-events?entity_type=" + entityType).body().get("items");
            if (items.size() >= count || Instant.now().isAfter(deadline)) {
                assertThat(items.size()).isEqualTo(count);
                return items.valueStream().toList();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private long clearTextRows(String text) {
        return jdbc.sql("select count(*) from audit_event where cast(objects as text) like ?")
                .param("%" + text + "%")
                .query(Long.class)
                .single();
    }

    private void forgetAfterwards(String queryId) {
        redisKeys.add(RedisKeys.queryStatus(queryId));
        redisKeys.add(RedisKeys.queryResult(queryId));
        redisKeys.add(RedisKeys.queryAsker(queryId));
    }
}
