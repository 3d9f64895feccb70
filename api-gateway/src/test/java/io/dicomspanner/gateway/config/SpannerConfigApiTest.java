package io.dicomspanner.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.GatewayTest;
import org.junit.jupiter.api.Test;

class SpannerConfigApiTest extends GatewayTest {

    /** The body of the README's call, verbatim. */
    static final String ENTERPRISE_PRODUCTION = """
            {"name": "Enterprise Production", "description": "Production spanning across all 8 PACS",
                   "max_concurrent_sources": 8, "timeout_seconds": 30, "retry_attempts": 2,
                   "failure_strategy": "partial_results", "deduplication_enabled": true, "enterprise_mode": true}""";

    @Test
    void readmeCreateCallAnswers201WithEveryFieldAndDefaults() {
        Reply created = post("/api/v1/config/spanner/", ENTERPRISE_PRODUCTION);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("http://localhost:" + port + "/api/v1/config/spanner/1");
        var body = created.body();
        assertThat(body.get("id").asLong()).isEqualTo(1);
        assertThat(body.get("name").asString()).isEqualTo("Enterprise Production");
        assertThat(body.get("description").asString()).isEqualTo("Production spanning across all 8 PACS");
        assertThat(body.get("max_concurrent_sources").asInt()).isEqualTo(8);
        assertThat(body.get("timeout_seconds").asInt()).isEqualTo(30);
        assertThat(body.get("retry_attempts").asInt()).isEqualTo(2);
        assertThat(body.get("failure_strategy").asString()).isEqualTo("partial_results");
        assertThat(body.get("minimum_success_threshold").isNull()).isTrue();
        assertThat(body.get("deduplication_enabled").asBoolean()).isTrue();
        assertThat(body.get("deduplication_strategy").asString()).isEqualTo("first_wins");
        assertThat(body.get("enterprise_mode").asBoolean()).isTrue();
        assertThat(body.get("enabled").asBoolean()).isTrue();
        assertThat(body.get("cache_ttl_seconds").asInt()).isEqualTo(300);
        assertThat(body.get("scp_ae_title").isNull()).isTrue();
        assertThat(body.get("allowed_calling_ae_titles").toString()).isEqualTo("[]");
        assertThat(body.get("version").asLong()).isEqualTo(1);

        assertThat(get("/api/v1/config/spanner/1").body()).isEqualTo(body);
    }

    @Test
    void onlyTheNameIsRequired() {
        Reply created = post("/api/v1/config/spanner", "{\"name\": \"Minimal\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("description").asString()).isEmpty();
        assertThat(created.body().get("max_concurrent_sources").asInt()).isEqualTo(8);
        assertThat(created.body().get("timeout_seconds").asInt()).isEqualTo(30);
        assertThat(created.body().get("retry_attempts").asInt()).isEqualTo(1);
        assertThat(created.body().get("failure_strategy").asString()).isEqualTo("partial_results");
        // every config spans through the worker fleet: absent means what true says
        assertThat(created.body().get("enterprise_mode").asBoolean()).isTrue();
    }

    @Test
    void enterpriseModeFalseIsRefusedNamingTheFieldAndNothingIsStored() {
        Reply refused = post(
                "/api/v1/config/spanner",
                ENTERPRISE_PRODUCTION.replace("\"enterprise_mode\": true", "\"enterprise_mode\": false"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("errors").toString())
                .isEqualTo("[{\"field\":\"enterprise_mode\",\"message\":\"false is not supported: every config"
                        + " spans through the worker fleet (omit the field or send true)\"}]");
        assertThat(get("/api/v1/config/spanner").body().get("total_items").asLong())
                .isZero();

        post("/api/v1/config/spanner", ENTERPRISE_PRODUCTION);
        Reply replaced = put(
                "/api/v1/config/spanner/1",
                ENTERPRISE_PRODUCTION.replace("\"enterprise_mode\": true", "\"enterprise_mode\": false"));
        assertThat(replaced.status()).isEqualTo(400);
        assertThat(get("/api/v1/config/spanner/1").body().get("version").asLong())
                .isEqualTo(1);
    }

    @Test
    void everyEditGivesANewVersion() {
        post("/api/v1/config/spanner", ENTERPRISE_PRODUCTION);

        Reply first = put(
                "/api/v1/config/spanner/1",
                ENTERPRISE_PRODUCTION.replace("\"retry_attempts\": 2", "\"retry_attempts\": 3"));
        Reply second = put("/api/v1/config/spanner/1/", ENTERPRISE_PRODUCTION);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("retry_attempts").asInt()).isEqualTo(3);
        assertThat(first.body().get("version").asLong()).isEqualTo(2);
        assertThat(second.body().get("version").asLong()).isEqualTo(3);
        assertThat(second.body().get("retry_attempts").asInt()).isEqualTo(2);
    }

    @Test
    void minimumThresholdStrategyWithItsThresholdIsAccepted() {
        Reply created = post("/api/v1/config/spanner", """
                {"name": "Quorum", "failure_strategy": "minimum_threshold", "minimum_success_threshold": 6,
                 "deduplication_strategy": "merge_all", "scp_ae_title": "SPANNER_Q",
                 "allowed_calling_ae_titles": ["CT01", " MR01 ", "CT01"]}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("minimum_success_threshold").asInt()).isEqualTo(6);
        assertThat(created.body().get("deduplication_strategy").asString()).isEqualTo("merge_all");
        assertThat(created.body().get("scp_ae_title").asString()).isEqualTo("SPANNER_Q");
        assertThat(created.body().get("allowed_calling_ae_titles").toString()).isEqualTo("[\"CT01\",\"MR01\"]");
    }

    @Test
    void unknownStrategiesAndBadNumbersAreAllNamed() {
        Reply reply = post("/api/v1/config/spanner", """
                {"name": "Bad", "failure_strategy": "best_effort", "deduplication_strategy": "last_wins",
                 "max_concurrent_sources": 0, "timeout_seconds": 0, "retry_attempts": 11, "cache_ttl_seconds": -1,
                 "scp_ae_title": "SEVENTEEN_CHARS_X", "allowed_calling_ae_titles": ["OK", "BAD\\\\AE"]}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(errorFields(reply))
                .containsExactlyInAnyOrder(
                        "failure_strategy",
                        "deduplication_strategy",
                        "max_concurrent_sources",
                        "timeout_seconds",
                        "retry_attempts",
                        "cache_ttl_seconds",
                        "scp_ae_title",
                        "allowed_calling_ae_titles[1]");
        assertThat(reply.body()
                        .get("errors")
                        .valueStream()
                        .filter(e -> e.get("field").asString().equals("failure_strategy"))
                        .findFirst()
                        .orElseThrow()
                        .get("message")
                        .asString())
                .isEqualTo("must be one of partial_results, fail_fast, minimum_threshold");
    }

    @Test
    void thresholdWithoutMinimumThresholdStrategyIs400() {
        Reply reply = post("/api/v1/config/spanner", """
                {"name": "T", "failure_strategy": "fail_fast", "minimum_success_threshold": 3}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("errors").toString())
                .isEqualTo("[{\"field\":\"minimum_success_threshold\","
                        + "\"message\":\"is only allowed when failure_strategy is minimum_threshold\"}]");
    }

    @Test
    void minimumThresholdStrategyWithoutThresholdIs400() {
        Reply reply = post("/api/v1/config/spanner", """
                {"name": "T", "failure_strategy": "minimum_threshold"}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("errors").toString())
                .isEqualTo("[{\"field\":\"minimum_success_threshold\","
                        + "\"message\":\"is required when failure_strategy is minimum_threshold\"}]");
    }

    @Test
    void duplicateNameIs409() {
        post("/api/v1/config/spanner", ENTERPRISE_PRODUCTION);

        Reply reply = post(
                "/api/v1/config/spanner/",
                ENTERPRISE_PRODUCTION.replace("Enterprise Production", "ENTERPRISE production"));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body().get("detail").asString())
                .isEqualTo("A spanner config named 'ENTERPRISE production' exists already");
    }

    @Test
    void duplicateScpAeTitleIs409() {
        post("/api/v1/config/spanner", "{\"name\": \"A\", \"scp_ae_title\": \"SPANNER\"}");

        Reply reply = post("/api/v1/config/spanner", "{\"name\": \"B\", \"scp_ae_title\": \"SPANNER\"}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body().get("detail").asString())
                .isEqualTo("Another spanner config answers under SCP AE title 'SPANNER'");
    }

    @Test
    void listPaginates() {
        post("/api/v1/config/spanner", "{\"name\": \"A\"}");
        post("/api/v1/config/spanner", "{\"name\": \"B\"}");

        Reply page = get("/api/v1/config/spanner/?size=1&page=1");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().get("items").valueStream().map(c -> c.get("name").asString()))
                .containsExactly("B");
        assertThat(page.body().get("total_items").asLong()).isEqualTo(2);
    }

    @Test
    void deleteRemovesTheConfigWithItsMappingsButNotTheSources() {
        post("/api/v1/sources", "{\"name\": \"S\", \"ae_title\": \"S\", \"host\": \"h\", \"port\": 104}");
        post("/api/v1/config/spanner", ENTERPRISE_PRODUCTION);
        post("/api/v1/config/spanner/1/sources", "{\"source_id\": 1}");

        assertThat(delete("/api/v1/config/spanner/1/").status()).isEqualTo(204);

        assertThat(get("/api/v1/config/spanner/1").status()).isEqualTo(404);
        assertThat(get("/api/v1/config/spanner/1/sources").status()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from source_mapping")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(get("/api/v1/sources/1").status()).isEqualTo(200);
    }

    @Test
    void unknownConfigIs404() {
        assertThat(get("/api/v1/config/spanner/9").status()).isEqualTo(404);
        assertThat(put("/api/v1/config/spanner/9", ENTERPRISE_PRODUCTION).status())
                .isEqualTo(404);
        assertThat(delete("/api/v1/config/spanner/9").status()).isEqualTo(404);
        assertThat(get("/api/v1/config/spanner/9").body().get("detail").asString())
                .isEqualTo("No spanner config with id 9");
    }

    @Test
    void nonNumericIdIs400() {
        Reply reply = get("/api/v1/config/spanner/production");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(errorFields(reply)).containsExactly("id");
    }
}
