package io.dicomspanner.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.GatewayTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AuditTrailTest extends GatewayTest {

    @Test
    void sourceCreateReplaceDeleteAreRecordedWithBeforeAndAfter() {
        post(
                "/api/v1/sources",
                "{\"name\": \"PACS-A\", \"ae_title\": \"PACSA\", \"host\": \"10.1.2.3\", \"port\": 104}");
        put(
                "/api/v1/sources/1",
                "{\"name\": \"PACS-A\", \"ae_title\": \"PACSA\", \"host\": \"10.1.2.3\", \"port\": 11112}");
        delete("/api/v1/sources/1");

        Reply reply = get("/api/v1/audit-events?entity_type=dicom_source&entity_id=1");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode items = reply.body().get("items");
        assertThat(items.valueStream().map(e -> e.get("action").asString()))
                .containsExactly("deleted", "updated", "created");
        JsonNode created = items.get(2);
        assertThat(created.get("actor").asString()).isEqualTo("api-key:test-admin");
        assertThat(created.get("actor_api_key_id").asLong()).isEqualTo(1);
        assertThat(created.get("actor_address").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(created.get("before").isNull()).isTrue();
        assertThat(created.get("after").get("port").asInt()).isEqualTo(104);
        JsonNode updated = items.get(1);
        assertThat(updated.get("before").get("port").asInt()).isEqualTo(104);
        assertThat(updated.get("after").get("port").asInt()).isEqualTo(11112);
        assertThat(updated.get("after").get("ae_title").asString()).isEqualTo("PACSA");
        JsonNode deleted = items.get(0);
        assertThat(deleted.get("before").get("port").asInt()).isEqualTo(11112);
        assertThat(deleted.get("after").isNull()).isTrue();
    }

    @Test
    void configEditsAreRecordedWithTheirVersions() {
        post("/api/v1/config/spanner", "{\"name\": \"A\"}");
        put("/api/v1/config/spanner/1", "{\"name\": \"A\", \"retry_attempts\": 4}");

        JsonNode updated = get("/api/v1/audit-events?entity_type=spanner_config&entity_id=1")
                .body()
                .get("items")
                .get(0);

        assertThat(updated.get("action").asString()).isEqualTo("updated");
        assertThat(updated.get("before").get("version").asLong()).isEqualTo(1);
        assertThat(updated.get("before").get("retry_attempts").asInt()).isEqualTo(1);
        assertThat(updated.get("after").get("version").asLong()).isEqualTo(2);
        assertThat(updated.get("after").get("retry_attempts").asInt()).isEqualTo(4);
    }

    @Test
    void aMappingFilterOnAPatientAttributeIsRefusedAndNothingOfItIsAudited() {
        post(
                "/api/v1/sources",
                "{\"name\": \"PACS-A\", \"ae_title\": \"PACSA\", \"host\": \"10.1.2.3\", \"port\": 104}");
        post("/api/v1/config/spanner", "{\"name\": \"A\"}");
        Reply refused = post("/api/v1/config/spanner/1/sources", """
                {"source_id": 1, "additional_query_filters": {"PatientID": "MRN-778899", "InstitutionName": "North"}}""");
        post("/api/v1/config/spanner/1/sources", """
                {"source_id": 1, "additional_query_filters": {"InstitutionName": "North"}}""");

        assertThat(refused.status()).isEqualTo(400);
        JsonNode created =
                get("/api/v1/audit-events?entity_type=source_mapping").body().get("items");
        assertThat(created).hasSize(1);
        assertThat(created.get(0).get("after").get("additional_query_filters").toString())
                .isEqualTo("{\"InstitutionName\":\"North\"}");
        assertThat(jdbc.sql("select count(*) from audit_event where cast(after as text) like '%MRN-778899%'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void keyOperationsAreRecordedWithoutTheKeyOrItsHash() {
        Reply created = post("/api/v1/api-keys", "{\"name\": \"ci\", \"scopes\": [\"query\"]}");
        String key = created.body().get("key").asString();
        delete("/api/v1/api-keys/2");

        Reply reply = get("/api/v1/audit-events?entity_type=api_key&entity_id=2");

        assertThat(reply.body()
                        .get("items")
                        .valueStream()
                        .map(e -> e.get("action").asString()))
                .containsExactly("revoked", "created");
        assertThat(reply.body().get("items").get(0).get("after").get("active").asBoolean())
                .isFalse();
        assertThat(reply.body().get("items").get(0).get("before").get("active").asBoolean())
                .isTrue();
        assertThat(reply.raw().body())
                .doesNotContain(key)
                .doesNotContain("key_hash")
                .doesNotContain("lookup_id");
    }

    @Test
    void cascadeDeleteRecordsEachRemovedMapping() {
        post(
                "/api/v1/sources",
                "{\"name\": \"PACS-A\", \"ae_title\": \"PACSA\", \"host\": \"10.1.2.3\", \"port\": 104}");
        post("/api/v1/config/spanner", "{\"name\": \"A\"}");
        post("/api/v1/config/spanner", "{\"name\": \"B\"}");
        post("/api/v1/config/spanner/1/sources", "{\"source_id\": 1}");
        post("/api/v1/config/spanner/2/sources", "{\"source_id\": 1}");

        delete("/api/v1/sources/1?cascade=true");

        assertThat(get("/api/v1/audit-events?entity_type=source_mapping")
                        .body()
                        .get("items")
                        .valueStream()
                        .map(e -> e.get("action").asString() + " "
                                + e.get("entity_id").asLong()))
                .containsExactly("deleted 2", "deleted 1", "created 2", "created 1");
    }

    @Test
    void listingPaginatesNewestFirstAndChecksItsParameters() {
        post("/api/v1/config/spanner", "{\"name\": \"A\"}");
        post("/api/v1/config/spanner", "{\"name\": \"B\"}");

        Reply page = get("/api/v1/audit-events?size=1");
        assertThat(page.body().get("items").get(0).get("after").get("name").asString())
                .isEqualTo("B");
        assertThat(page.body().get("total_items").asLong()).isEqualTo(3); // the test's own admin key, then A, B

        Reply badType = get("/api/v1/audit-events?entity_type=patient");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(errorFields(badType)).containsExactly("entity_type");

        Reply idWithoutType = get("/api/v1/audit-events?entity_id=1");
        assertThat(idWithoutType.status()).isEqualTo(400);
        assertThat(errorFields(idWithoutType)).containsExactly("entity_id");
    }
}
