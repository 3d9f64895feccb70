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

        assertThat(created.body().get("allowed_config_ids").toString()).isEqualTo("[]");
        assertThat(created.body().get("queries_per_second").isNull()).isTrue();
        assertThat(created.body().get("queries_in_flight").isNull()).isTrue();

        Reply fetched = get("/api/v1/api-keys/2");
        assertThat(fetched.body().has("key")).isFalse();
        assertThat(fetched.body().get("allowed_config_ids").toString()).isEqualTo("[]");
        assertThat(fetched.body().get("queries_per_second").isNull()).isTrue();
        assertThat(fetched.body().get("queries_in_flight").isNull()).isTrue();
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

    // ---- what a key may see and how fast it may ask -----------------------------------------------------------------

    @Test
    void aKeysConfigsAndLimitsAreSetAtCreationShownAndReplacedWithAnAuditedBeforeAndAfter() {
        configs("A", "B");
        Reply created = send("POST", "/api/v1/api-keys", adminKey, jsonOf("""
                {'name': 'ward', 'scopes': ['query'], 'allowed_config_ids': [2, 1, 2], 'queries_per_second': 5,
                 'queries_in_flight': 2}"""));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("allowed_config_ids").toString()).isEqualTo("[1,2]");
        assertThat(created.body().get("queries_per_second").asInt()).isEqualTo(5);
        assertThat(created.body().get("queries_in_flight").asInt()).isEqualTo(2);

        Reply replaced = put("/api/v1/api-keys/2/access", jsonOf("""
                {'allowed_config_ids': [2], 'queries_per_second': 0}"""));

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body().get("id").asLong()).isEqualTo(2);
        assertThat(replaced.body().get("allowed_config_ids").toString()).isEqualTo("[2]");
        assertThat(replaced.body().get("queries_per_second").asInt()).isZero();
        assertThat(replaced.body().get("queries_in_flight").isNull())
                .as("back to the default")
                .isTrue();
        Reply fetched = get("/api/v1/api-keys/2");
        assertThat(fetched.body()).isEqualTo(replaced.body());
        assertThat(get("/api/v1/api-keys").body().get("items").get(1)).isEqualTo(replaced.body());
        assertThat(jdbc.sql(
                                "select allowed_config_ids::text || ' ' || coalesce(queries_per_second::text, 'null') || ' '"
                                        + " || coalesce(queries_in_flight::text, 'null') from api_key where id = 2")
                        .query(String.class)
                        .single())
                .isEqualTo("{2} 0 null");

        JsonNode events = get("/api/v1/audit-events?entity_type=api_key&entity_id=2")
                .body()
                .get("items");
        assertThat(events.valueStream().map(e -> e.get("action").asString())).containsExactly("updated", "created");
        JsonNode updated = events.get(0);
        assertThat(updated.get("actor").asString()).isEqualTo("api-key:test-admin");
        assertThat(updated.get("before").get("allowed_config_ids").toString()).isEqualTo("[1,2]");
        assertThat(updated.get("before").get("queries_per_second").asInt()).isEqualTo(5);
        assertThat(updated.get("before").get("queries_in_flight").asInt()).isEqualTo(2);
        assertThat(updated.get("after").get("allowed_config_ids").toString()).isEqualTo("[2]");
        assertThat(updated.get("after").get("queries_per_second").asInt()).isZero();
        assertThat(updated.get("after").get("queries_in_flight").isNull()).isTrue();
        assertThat(events.get(1).get("after").get("allowed_config_ids").toString())
                .isEqualTo("[1,2]");

        Reply cleared = put("/api/v1/api-keys/2/access", "{}");
        assertThat(cleared.body().get("allowed_config_ids").toString()).isEqualTo("[]");
        assertThat(cleared.body().get("queries_per_second").isNull()).isTrue();
    }

    @Test
    void unknownConfigIdsAndNegativeOrHugeLimitsAre400NamingTheFieldAndChangeNothing() {
        configs("A");
        createKey("ward", "[\"query\"]");

        Reply unknownConfig = put("/api/v1/api-keys/2/access", "{\"allowed_config_ids\": [1, 99, 98]}");
        Reply nullConfig = put("/api/v1/api-keys/2/access", "{\"allowed_config_ids\": [null]}");
        Reply negative = put("/api/v1/api-keys/2/access", "{\"queries_per_second\": -1, \"queries_in_flight\": -1}");
        Reply huge = put("/api/v1/api-keys/2/access", "{\"queries_per_second\": 10001}");
        Reply unknownField = put("/api/v1/api-keys/2/access", "{\"allowed_configs\": [1]}");
        Reply createWithUnknownConfig = send(
                "POST",
                "/api/v1/api-keys",
                adminKey,
                "{\"name\": \"x\", \"scopes\": [\"query\"], \"allowed_config_ids\": [7]}");

        assertThat(unknownConfig.status()).isEqualTo(400);
        assertThat(errorFields(unknownConfig)).containsExactly("allowed_config_ids[1]", "allowed_config_ids[2]");
        assertThat(unknownConfig.body().get("errors").get(0).get("message").asString())
                .isEqualTo("names no spanner config");
        assertThat(nullConfig.status()).isEqualTo(400);
        assertThat(errorFields(nullConfig)).containsExactly("allowed_config_ids[0]");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(errorFields(negative)).containsExactlyInAnyOrder("queries_per_second", "queries_in_flight");
        assertThat(huge.status()).isEqualTo(400);
        assertThat(errorFields(huge)).containsExactly("queries_per_second");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(createWithUnknownConfig.status()).isEqualTo(400);
        assertThat(errorFields(createWithUnknownConfig)).containsExactly("allowed_config_ids[0]");
        assertThat(jdbc.sql("select count(*) from api_key").query(Long.class).single())
                .isEqualTo(2);
        assertThat(get("/api/v1/api-keys/2").body().get("allowed_config_ids").toString())
                .isEqualTo("[]");
        assertThat(jdbc.sql("select count(*) from audit_event where action = 'updated'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void accessOfUnknownRevokedOrOwnKeysCannotBeSetWithoutAnAdminKey() {
        String queryKey = createKey("viewer", "[\"query\"]").get("key").asString();

        assertThat(put("/api/v1/api-keys/77/access", "{}").status()).isEqualTo(404);
        assertThat(send("PUT", "/api/v1/api-keys/2/access", queryKey, "{\"queries_per_second\": 0}")
                        .status())
                .isEqualTo(403);
        delete("/api/v1/api-keys/2");
        Reply revoked = put("/api/v1/api-keys/2/access", "{}");
        assertThat(revoked.status()).isEqualTo(409);
        assertThat(revoked.body().get("detail").asString()).isEqualTo("API key 2 is revoked");
    }

    private void configs(String... names) {
        for (String name : names) {
            assertThat(post("/api/v1/config/spanner", "{\"name\": \"" + name + "\"}")
                            .status())
                    .isEqualTo(201);
        }
    }

    private JsonNode createKey(String name, String scopes) {
        Reply created =
                send("POST", "/api/v1/api-keys", adminKey, "{\"name\": \"" + name + "\", \"scopes\": " + scopes + "}");
        assertThat(created.status()).isEqualTo(201);
        return created.body();
    }
}
