package io.dicomspanner.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.GatewayTest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class ApiKeyApiTest extends GatewayTest {

    @Autowired
    KeyUseRecorder uses;

    @Test
    void missingKeyIs401WithApiKeyChallenge() {
        Reply reply = send("GET", "/api/v1/sources/", null, null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Api-Key realm=\"dicom-query-spanner\"");
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.body().get("detail").asString()).isEqualTo("Send an API key: 'Authorization: Api-Key <key>'");
        assertThat(reply.body().get("status").asInt()).isEqualTo(401);
    }

    @Test
    void otherAuthorizationSchemesAre401() {
        Reply bearer = exchange("GET", "/api/v1/sources", "Bearer " + adminKey, null);
        Reply bare = exchange("GET", "/api/v1/sources", adminKey, null);

        assertThat(bearer.status()).isEqualTo(401);
        assertThat(bare.status()).isEqualTo(401);
    }

    @Test
    void schemeNameIsCaseInsensitive() {
        assertThat(exchange("GET", "/api/v1/sources", "api-key " + adminKey, null)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void unknownKeyIs401() {
        Reply reply = send("GET", "/api/v1/sources", "dqs_not-a-real-key-at-all", null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Api-Key realm=\"dicom-query-spanner\"");
        assertThat(reply.body().get("detail").asString()).isEqualTo("The API key is unknown or revoked");
    }

    @Test
    void unknownPathsNeedAKeyToo() {
        assertThat(send("GET", "/api/v1/nothing-here", null, null).status()).isEqualTo(401);
        assertThat(get("/api/v1/nothing-here").status()).isEqualTo(404);
    }

    @Test
    void queryKeyOnAdminEndpointsIs403() {
        String queryKey = createKey("viewer", "[\"query\"]").get("key").asString();

        Reply reply = send("GET", "/api/v1/sources", queryKey, null);

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.body().get("detail").asString()).isEqualTo("API key 2 does not have the 'admin' scope");
        assertThat(send("POST", "/api/v1/config/spanner", queryKey, "{\"name\": \"x\"}")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void queryKeyMayUseQueryPathsAndAdminKeyMayToo() {
        String queryKey = createKey("viewer", "[\"query\"]").get("key").asString();

        // A search without parameters is a 400: getting that far means the key check let it through.
        assertThat(send("GET", "/api/v1/spanner/qido/studies", queryKey, null).status())
                .isEqualTo(400);
        assertThat(send("GET", "/api/v1/spanner/qido/studies", adminKey, null).status())
                .isEqualTo(400);
        assertThat(send("GET", "/api/v1/spanner/qido/studies", null, null).status())
                .isEqualTo(401);
    }

    @Test
    void pathsNotInNormalFormAreRefusedBeforeTheAccessPolicyReadsThem() {
        String queryKey = createKey("viewer", "[\"query\"]").get("key").asString();

        Reply dotSegments = send("GET", "/v3/api-docs/..%2F..%2Fapi/v1/sources", queryKey, null);
        Reply pathParameter = send("GET", "/api/v1/sources;a=b", adminKey, null);
        Reply emptySegment = send("GET", "/actuator/health/liveness//", null, null);

        assertThat(dotSegments.status()).isEqualTo(400);
        assertThat(pathParameter.status()).isEqualTo(400);
        assertThat(emptySegment.status()).isEqualTo(400);
        // Tomcat itself refuses the encoded slashes; the gateway refuses the path parameter and the empty segment.
        assertThat(pathParameter.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(emptySegment.body().get("detail").asString()).startsWith("The path is not in normal form");
    }

    @Test
    void livenessAndReadinessNeedNoKey() {
        Reply liveness = send("GET", "/actuator/health/liveness", null, null);
        Reply readiness = send("GET", "/actuator/health/readiness", null, null);

        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.body().get("status").asString()).isEqualTo("UP");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.body().get("status").asString()).isEqualTo("UP");
        assertThat(send("GET", "/actuator/health", null, null).status()).isEqualTo(401);
    }

    @Test
    void createdKeyIsShownOnceAndStoredOnlyAsItsSha256() {
        Reply created = send("POST", "/api/v1/api-keys/", adminKey, """
                {"name": "ci", "scopes": ["query", "admin"]}""");

        assertThat(created.status()).isEqualTo(201);
        String key = created.body().get("key").asString();
        assertThat(key).startsWith("dqs_").hasSize(4 + 43);
        assertThat(created.body().get("name").asString()).isEqualTo("ci");
        assertThat(created.body().get("scopes").toString()).isEqualTo("[\"query\",\"admin\"]");

        Reply fetched = get("/api/v1/api-keys/2");
        assertThat(fetched.body().has("key")).isFalse();
        assertThat(fetched.body().get("active").asBoolean()).isTrue();
        assertThat(fetched.body().get("created_by").asString()).isEqualTo("api-key:test-admin");
        assertThat(fetched.raw().body()).doesNotContain(key);

        byte[] stored = jdbc.sql("select key_hash from api_key where id = 2")
                .query(byte[].class)
                .single();
        assertThat(HexFormat.of().formatHex(stored)).isEqualTo(HexFormat.of().formatHex(ApiKeySecrets.hash(key)));
        assertThat(jdbc.sql("select count(*) from api_key where position(convert_to(?, 'UTF8') in key_hash) > 0"
                                + " or name = ? or lookup_id = ?")
                        .params(key, key, key)
                        .query(Long.class)
                        .single())
                .isZero();

        assertThat(send("GET", "/api/v1/sources", key, null).status()).isEqualTo(200);
    }

    @Test
    void keyUseIsRecordedAsLastUsedTime() {
        String key = createKey("ci", "[\"admin\"]").get("key").asString();
        assertThat(get("/api/v1/api-keys/2").body().get("last_used_at").isNull())
                .isTrue();

        send("GET", "/api/v1/sources", key, null);
        uses.writePending();

        assertThat(get("/api/v1/api-keys/2").body().get("last_used_at").isNull())
                .isFalse();
    }

    @Test
    void revokedKeyIs401AndStaysListedAsInactive() {
        String key = createKey("ci", "[\"admin\"]").get("key").asString();
        assertThat(send("GET", "/api/v1/sources", key, null).status()).isEqualTo(200);

        Reply revoked = delete("/api/v1/api-keys/2/");

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body().get("active").asBoolean()).isFalse();
        assertThat(revoked.body().get("revoked_by").asString()).isEqualTo("api-key:test-admin");
        assertThat(send("GET", "/api/v1/sources", key, null).status()).isEqualTo(401);
        assertThat(get("/api/v1/api-keys")
                        .body()
                        .get("items")
                        .valueStream()
                        .map(k -> k.get("name").asString()))
                .containsExactly("test-admin", "ci");
        assertThat(delete("/api/v1/api-keys/2").status()).isEqualTo(200);
    }

    @Test
    void lastActiveAdminKeyCannotBeRevoked() {
        Reply reply = delete("/api/v1/api-keys/1");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body().get("detail").asString())
                .isEqualTo("API key 1 is the last active admin key; create another first");
        assertThat(get("/api/v1/sources").status()).isEqualTo(200);
    }

    @Test
    void duplicateActiveNameIs409ButARevokedNameMayBeReused() {
        createKey("ci", "[\"query\"]");
        assertThat(send("POST", "/api/v1/api-keys", adminKey, "{\"name\": \"CI\", \"scopes\": [\"query\"]}")
                        .status())
                .isEqualTo(409);

        delete("/api/v1/api-keys/2");

        assertThat(send("POST", "/api/v1/api-keys", adminKey, "{\"name\": \"ci\", \"scopes\": [\"query\"]}")
                        .status())
                .isEqualTo(201);
    }

    @Test
    void invalidKeyRequestsAre400() {
        Reply noScopes = send("POST", "/api/v1/api-keys", adminKey, "{\"name\": \"x\", \"scopes\": []}");
        Reply badScope = send("POST", "/api/v1/api-keys", adminKey, "{\"name\": \"\", \"scopes\": [\"root\"]}");

        assertThat(noScopes.status()).isEqualTo(400);
        assertThat(errorFields(noScopes)).containsExactly("scopes");
        assertThat(badScope.status()).isEqualTo(400);
        assertThat(errorFields(badScope)).containsExactlyInAnyOrder("name", "scopes[0]");
    }

    @Test
    void unknownKeyIdIs404() {
        assertThat(get("/api/v1/api-keys/77").status()).isEqualTo(404);
        assertThat(delete("/api/v1/api-keys/77").status()).isEqualTo(404);
    }

    @Test
    void queryKeyCannotManageKeys() {
        String queryKey = createKey("viewer", "[\"query\"]").get("key").asString();

        assertThat(send("POST", "/api/v1/api-keys", queryKey, "{\"name\": \"x\", \"scopes\": [\"admin\"]}")
                        .status())
                .isEqualTo(403);
        assertThat(send("DELETE", "/api/v1/api-keys/1", queryKey, null).status())
                .isEqualTo(403);
    }

    private JsonNode createKey(String name, String scopes) {
        Reply created =
                send("POST", "/api/v1/api-keys", adminKey, "{\"name\": \"" + name + "\", \"scopes\": " + scopes + "}");
        assertThat(created.status()).isEqualTo(201);
        return created.body();
    }
}
