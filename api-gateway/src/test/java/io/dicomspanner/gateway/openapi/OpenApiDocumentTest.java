package io.dicomspanner.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.GatewayTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenApiDocumentTest extends GatewayTest {

    @Test
    void documentListsEveryAdminPathWithSnakeCaseSchemas() {
        Reply reply = get("/v3/api-docs");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode doc = reply.body();
        assertThat(doc.get("openapi").asString()).startsWith("3.");
        assertThat(doc.get("paths").propertyNames())
                .contains(
                        "/api/v1/sources",
                        "/api/v1/sources/{id}",
                        "/api/v1/sources/{id}/matching",
                        "/api/v1/sources/{id}/matching/probe",
                        "/api/v1/sources/{id}/matching/observations/{keyword}",
                        "/api/v1/config/spanner",
                        "/api/v1/config/spanner/{id}",
                        "/api/v1/config/spanner/{configId}/sources",
                        "/api/v1/config/spanner/{configId}/sources/{mappingId}",
                        "/api/v1/api-keys",
                        "/api/v1/api-keys/{id}",
                        "/api/v1/audit-events",
                        "/api/v1/query-log/search",
                        "/api/v1/query-log/{id}");
        JsonNode sourceRequest = doc.get("components").get("schemas").get("DicomSourceRequest");
        assertThat(sourceRequest.get("properties").propertyNames())
                .containsExactlyInAnyOrder(
                        "name",
                        "ae_title",
                        "host",
                        "port",
                        "calling_ae_title",
                        "tls",
                        "tls_verify_hostname",
                        "max_associations",
                        "query_timeout_seconds",
                        "information_models",
                        "relational_queries",
                        "unmatched_keys",
                        "enabled",
                        "location",
                        "tags",
                        "protocol",
                        "base_url",
                        "auth",
                        "page_size",
                        "includefield_all",
                        "fuzzymatching",
                        "limit_offset",
                        "max_results");
        JsonNode schemas = doc.get("components").get("schemas");
        assertThat(schemas.get("DicomSourceResponse").get("properties").has("matching"))
                .isTrue();
        assertThat(schemas.get("SourceMatching").get("properties").propertyNames())
                .containsExactly("verified_keys", "observations", "probe");
        assertThat(schemas.get("KeyObservationResponse").get("properties").propertyNames())
                .containsExactly("keyword", "matched", "returned", "origin", "observed_at", "evidence");
        assertThat(schemas.get("MatchingProbeRequest").get("properties").propertyNames())
                .containsExactly("keys");
        JsonNode search = doc.get("paths").get("/dicomweb/{config}/studies").get("get");
        assertThat(search.get("responses").get("200").get("content").propertyNames())
                .containsExactlyInAnyOrder(
                        "application/dicom+json", "multipart/related; type=\"application/dicom+xml\"");
        assertThat(doc.get("paths")
                        .get("/api/v1/spanner/qido/{resource}")
                        .get("get")
                        .get("responses")
                        .get("202")
                        .get("content")
                        .propertyNames())
                .containsExactly("application/json");
        assertThat(doc.get("components")
                        .get("securitySchemes")
                        .get("api-key")
                        .get("name")
                        .asString())
                .isEqualTo("Authorization");
    }

    @Test
    void documentAndSwaggerUiNeedAKeyOfAnyScope() {
        String queryKey = post("/api/v1/api-keys", "{\"name\": \"docs\", \"scopes\": [\"query\"]}")
                .body()
                .get("key")
                .asString();

        assertThat(send("GET", "/v3/api-docs", null, null).status()).isEqualTo(401);
        assertThat(send("GET", "/v3/api-docs", queryKey, null).status()).isEqualTo(200);
        Reply ui = send("GET", "/swagger-ui/index.html", queryKey, null);
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.header("Content-Type")).startsWith("text/html");
    }
}
