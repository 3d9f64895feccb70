package io.dicomspanner.gateway;

import io.dicomspanner.gateway.apikey.ApiKeyRequest;
import io.dicomspanner.gateway.apikey.ApiKeyService;
import io.dicomspanner.gateway.audit.Actor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A gateway on a random port over the real local PostgreSQL (a database of this test run, see {@link TestDatabaseSession}), emptied before every test, with
 * one admin key ({@link #adminKey}). Requests go over real HTTP, as curl would send them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class GatewayTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected JsonMapper json;

    @Autowired
    protected ApiKeyService apiKeys;

    protected String adminKey;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void emptyDatabaseWithOneAdminKey() {
        jdbc.sql("TRUNCATE source_mapping, spanner_config, dicom_source, api_key, audit_event, query_log"
                        + " RESTART IDENTITY CASCADE")
                .update();
        adminKey = apiKeys.create(new ApiKeyRequest("test-admin", List.of("admin")), Actor.system("test"))
                .key();
    }

    /** A response: status, headers and the body parsed as JSON (null when empty). */
    protected record Reply(int status, HttpResponse<String> raw, JsonNode body) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    protected Reply get(String path) {
        return send("GET", path, adminKey, null);
    }

    protected Reply post(String path, String body) {
        return send("POST", path, adminKey, body);
    }

    protected Reply put(String path, String body) {
        return send("PUT", path, adminKey, body);
    }

    protected Reply delete(String path) {
        return send("DELETE", path, adminKey, null);
    }

    /** Sends a request with {@code Authorization: Api-Key <key>} (none if {@code key} is null). */
    protected Reply send(String method, String path, String key, String body) {
        return exchange(method, path, key == null ? null : "Api-Key " + key, body);
    }

    /** Sends a request with the given {@code Authorization} header value (none if null). */
    protected Reply exchange(String method, String path, String authorization, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return exchange(request.build());
    }

    /** Sends any request (custom headers such as Accept) and reads the reply as the other helpers do. */
    protected Reply exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            boolean isJson = response.headers()
                    .firstValue("Content-Type")
                    .map(type -> type.contains("json"))
                    .orElse(false);
            JsonNode parsed = isJson && !response.body().isEmpty() ? json.readTree(response.body()) : null;
            return new Reply(response.statusCode(), response, parsed);
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(request.method() + " " + request.uri() + " interrupted", e);
        }
    }

    /** The {@code field} names of a 400 problem's {@code errors}, in order. */
    protected static List<String> errorFields(Reply reply) {
        return reply.body()
                .get("errors")
                .valueStream()
                .map(e -> e.get("field").asString())
                .toList();
    }

    /** JSON from a text block with single quotes, for readable bodies in tests. */
    protected static String jsonOf(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
