package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.querylog.QueryLogEntry;
import io.dicomspanner.common.querylog.QueryLogWriter;
import io.dicomspanner.testing.Command;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The client address the audit trail and the query log record, behind a trusted proxy and not. The proxy is a curl
 * sending from 127.0.0.2 ({@code --interface}), the only trusted address here; a curl from 127.0.0.1 sends the same
 * headers untrusted.
 */
@TestPropertySource(properties = "spanner.edge.trusted-proxies=127.0.0.2")
class ClientAddressApiTest extends QidoApiTest {

    private static final String PROXY = "127.0.0.2";
    private static final String UNTRUSTED = "127.0.0.1";

    @Autowired
    QueryLogWriter queryLog;

    @Test
    void aTrustedProxysForwardedClientIsAuditedTheNearestUntrustedHopWins() {
        JsonNode created = curlJson(
                PROXY,
                adminKey,
                List.of("X-Forwarded-For: 198.51.100.1, 203.0.113.7", "X-Forwarded-Proto: https"),
                "POST",
                "/api/v1/sources",
                jsonOf("{'name': 'PACS-A', 'ae_title': 'PACSA', 'host': '10.1.2.3', 'port': 104}"));

        JsonNode event = latestAuditEvent();
        assertThat(event.get("entity_id").asLong()).isEqualTo(created.get("id").asLong());
        assertThat(event.get("actor").asString()).isEqualTo("api-key:test-admin");
        assertThat(event.get("actor_address").asString()).isEqualTo("203.0.113.7");
    }

    @Test
    void anUntrustedPeersForwardedHeadersAreIgnoredItsSocketAddressIsAudited() {
        curlJson(
                UNTRUSTED,
                adminKey,
                List.of("X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https"),
                "POST",
                "/api/v1/sources",
                jsonOf("{'name': 'PACS-A', 'ae_title': 'PACSA', 'host': '10.1.2.3', 'port': 104}"));

        assertThat(latestAuditEvent().get("actor_address").asString()).isEqualTo(UNTRUSTED);
    }

    @Test
    void theQueryLogRecordsTheForwardedClientOfATrustedProxy() {
        JsonNode accepted = curlJson(
                PROXY,
                queryKey,
                List.of("X-Forwarded-For: 203.0.113.7"),
                "GET",
                "/api/v1/spanner/qido/studies?PatientID=12345&async=true",
                null);
        String queryId = accepted.get("query_id").asString();
        redisKeys.add(RedisKeys.queryStatus(queryId));
        redisKeys.add(RedisKeys.queryResult(queryId));

        SpanRequest request = coordinator.takeRequest();
        assertThat(request.caller()).isEqualTo("api-key:" + queryKeyId + "@203.0.113.7");
        // as the coordinator logs the query it answered
        queryLog.write(new QueryLogEntry(request, Instant.now(), 1L, 1, 1, 0, 0, 0, 5, QueryState.COMPLETE, null));

        JsonNode logged = get("/api/v1/query-log/" + queryId).body();
        assertThat(logged.get("caller_api_key_id").asLong()).isEqualTo(queryKeyId);
        assertThat(logged.get("caller_address").asString()).isEqualTo("203.0.113.7");
        // and the audit trail names the same client for the search
        assertThat(jdbc.sql(
                                "select actor_address from audit_event where entity_type = 'query' and objects ->> 'query_id' = ?")
                        .param(queryId)
                        .query(String.class)
                        .list())
                .containsExactly("203.0.113.7");
    }

    @Test
    void theQueryLogRecordsTheSocketAddressOfAnUntrustedPeer() {
        curlJson(
                UNTRUSTED,
                queryKey,
                List.of("X-Forwarded-For: 203.0.113.7"),
                "GET",
                "/api/v1/spanner/qido/studies?PatientID=12345&async=true",
                null);

        assertThat(coordinator.takeRequest().caller()).isEqualTo("api-key:" + queryKeyId + "@" + UNTRUSTED);
    }

    @Test
    void hstsFollowsATrustedProxysForwardedProtoOnly() {
        assertThat(hsts(PROXY, "https")).isEqualTo("max-age=31536000");
        assertThat(hsts(PROXY, "http")).isNull();
        assertThat(hsts(UNTRUSTED, "https")).isNull();
    }

    private JsonNode latestAuditEvent() {
        return get("/api/v1/audit-events?size=1").body().get("items").get(0);
    }

    private String hsts(String from, String proto) {
        List<String> command = new ArrayList<>(List.of(
                "curl", "-sS", "-o", "/dev/null", "-D", "-", "--interface", from, "-H", "X-Forwarded-Proto: " + proto));
        command.add("http://127.0.0.1:" + port + "/actuator/health/liveness");
        String dump = run(command);
        return dump.lines()
                .filter(line -> line.regionMatches(true, 0, "Strict-Transport-Security:", 0, 26))
                .map(line -> line.substring(26).strip())
                .findFirst()
                .orElse(null);
    }

    /** Sends a request with curl from {@code from}, the key and headers given; fails unless it answers 2xx. */
    private JsonNode curlJson(String from, String key, List<String> headers, String method, String path, String body) {
        List<String> command = new ArrayList<>(List.of(
                "curl",
                "-sS",
                "--fail-with-body",
                "--interface",
                from,
                "-X",
                method,
                "-H",
                "Authorization: Api-Key " + key));
        for (String header : headers) {
            command.addAll(List.of("-H", header));
        }
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "-d", body));
        }
        command.add("http://127.0.0.1:" + port + path);
        return json.readTree(run(command));
    }

    private static String run(List<String> command) {
        Command run = Command.run(command);
        assertThat(run.exitCode()).as(run.output()).isZero();
        return run.out();
    }
}
