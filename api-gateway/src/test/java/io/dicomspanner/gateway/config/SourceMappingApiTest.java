package io.dicomspanner.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.GatewayTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SourceMappingApiTest extends GatewayTest {

    /** The body of the README's call, verbatim. */
    static final String README_MAPPING =
            "{\"source_type\": \"modality\", \"source_id\": 1, \"priority\": 1, \"timeout_override\": 20}";

    @BeforeEach
    void twoSourcesAndOneConfig() {
        post(
                "/api/v1/sources",
                "{\"name\": \"PACS-A\", \"ae_title\": \"PACSA\", \"host\": \"10.1.2.3\", \"port\": 104}");
        post(
                "/api/v1/sources",
                "{\"name\": \"PACS-B\", \"ae_title\": \"PACSB\", \"host\": \"10.1.2.4\", \"port\": 104}");
        post("/api/v1/config/spanner/", SpannerConfigApiTest.ENTERPRISE_PRODUCTION);
    }

    @Test
    void readmeMappingCallAnswers201AndGivesTheConfigANewVersion() {
        Reply created = post("/api/v1/config/spanner/1/sources/", README_MAPPING);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location"))
                .isEqualTo("http://localhost:" + port + "/api/v1/config/spanner/1/sources/1");
        assertThat(created.body().get("id").asLong()).isEqualTo(1);
        assertThat(created.body().get("config_id").asLong()).isEqualTo(1);
        assertThat(created.body().get("source_type").asString()).isEqualTo("modality");
        assertThat(created.body().get("source_id").asLong()).isEqualTo(1);
        assertThat(created.body().get("priority").asInt()).isEqualTo(1);
        assertThat(created.body().get("timeout_override").asInt()).isEqualTo(20);
        assertThat(created.body().get("enabled").asBoolean()).isTrue();
        assertThat(created.body().get("additional_query_filters").toString()).isEqualTo("{}");

        assertThat(get("/api/v1/config/spanner/1/sources/1").body()).isEqualTo(created.body());
        assertThat(get("/api/v1/config/spanner/1").body().get("version").asLong())
                .isEqualTo(2);
    }

    @Test
    void replaceAndDeleteEachGiveANewVersion() {
        post("/api/v1/config/spanner/1/sources", README_MAPPING);

        Reply replaced = put("/api/v1/config/spanner/1/sources/1/", """
                {"source_id": 1, "priority": 5, "enabled": false,
                 "additional_query_filters": {"InstitutionName": "North Hospital", "ModalitiesInStudy": "CT\\\\MR"}}""");

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body().get("priority").asInt()).isEqualTo(5);
        assertThat(replaced.body().get("timeout_override").isNull()).isTrue();
        assertThat(replaced.body().get("enabled").asBoolean()).isFalse();
        assertThat(replaced.body()
                        .get("additional_query_filters")
                        .get("InstitutionName")
                        .asString())
                .isEqualTo("North Hospital");
        assertThat(replaced.body()
                        .get("additional_query_filters")
                        .get("ModalitiesInStudy")
                        .asString())
                .isEqualTo("CT\\MR");
        assertThat(get("/api/v1/config/spanner/1").body().get("version").asLong())
                .isEqualTo(3);

        assertThat(delete("/api/v1/config/spanner/1/sources/1").status()).isEqualTo(204);
        assertThat(get("/api/v1/config/spanner/1/sources/1").status()).isEqualTo(404);
        assertThat(get("/api/v1/config/spanner/1").body().get("version").asLong())
                .isEqualTo(4);
    }

    @Test
    void listIsOrderedByPriorityAndPaginates() {
        post("/api/v1/config/spanner/1/sources", "{\"source_id\": 1, \"priority\": 2}");
        post("/api/v1/config/spanner/1/sources", "{\"source_id\": 2, \"priority\": 1}");

        Reply list = get("/api/v1/config/spanner/1/sources/");

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()
                        .get("items")
                        .valueStream()
                        .map(m -> m.get("source_id").asLong()))
                .containsExactly(2L, 1L);
        assertThat(get("/api/v1/config/spanner/1/sources?size=1")
                        .body()
                        .get("total_pages")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void mappingTheSameSourceTwiceIs409() {
        post("/api/v1/config/spanner/1/sources", README_MAPPING);

        Reply reply = post("/api/v1/config/spanner/1/sources", "{\"source_id\": 1, \"priority\": 3}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body().get("detail").asString())
                .isEqualTo("Source 1 (modality) is already mapped into spanner config 1");
    }

    @Test
    void repointingAMappingOntoAnAlreadyMappedSourceIs409() {
        post("/api/v1/config/spanner/1/sources", "{\"source_id\": 1}");
        post("/api/v1/config/spanner/1/sources", "{\"source_id\": 2}");

        assertThat(put("/api/v1/config/spanner/1/sources/2", "{\"source_id\": 1}")
                        .status())
                .isEqualTo(409);
    }

    @Test
    void unknownSourceIdIs400NamingSourceId() {
        Reply reply = post("/api/v1/config/spanner/1/sources", "{\"source_id\": 99}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("errors").toString())
                .isEqualTo("[{\"field\":\"source_id\",\"message\":\"no DICOM source has id 99\"}]");
    }

    @Test
    void badFieldsAreAllNamed() {
        Reply reply = post("/api/v1/config/spanner/1/sources", """
                {"source_type": "worklist", "priority": 0, "timeout_override": 0}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(errorFields(reply))
                .containsExactlyInAnyOrder("source_type", "source_id", "priority", "timeout_override");
    }

    @Test
    void filtersMustBeSingleValuedDicomKeywords() {
        Reply reply = post("/api/v1/config/spanner/1/sources", """
                {"source_id": 1, "additional_query_filters": {"Institution": "X", "ReferencedStudySequence": "Y"}}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("errors").toString())
                .isEqualTo("[{\"field\":\"additional_query_filters.Institution\","
                        + "\"message\":\"is not a DICOM keyword (PS3.6 spelling, e.g. InstitutionName)\"},"
                        + "{\"field\":\"additional_query_filters.ReferencedStudySequence\","
                        + "\"message\":\"is a sequence; a filter needs an attribute with a single value\"}]");
    }

    @Test
    void filtersMustNotNamePatientsWhoseIdentifiersWouldBeStoredInClearText() {
        Reply reply = post("/api/v1/config/spanner/1/sources", """
                {"source_id": 1, "additional_query_filters": {"PatientID": "PID-4711", "InstitutionName": "North"}}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("errors").toString())
                .isEqualTo("[{\"field\":\"additional_query_filters.PatientID\","
                        + "\"message\":\"is a patient attribute; a source's filters apply to every query and name no"
                        + " patient\"}]");
        assertThat(jdbc.sql("select count(*) from source_mapping")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void unknownConfigOrMappingIs404() {
        assertThat(post("/api/v1/config/spanner/7/sources", README_MAPPING).status())
                .isEqualTo(404);
        assertThat(get("/api/v1/config/spanner/7/sources").status()).isEqualTo(404);
        assertThat(get("/api/v1/config/spanner/1/sources/5").status()).isEqualTo(404);
        assertThat(put("/api/v1/config/spanner/1/sources/5", README_MAPPING).status())
                .isEqualTo(404);
        assertThat(delete("/api/v1/config/spanner/1/sources/5").status()).isEqualTo(404);
    }

    @Test
    void aMappingIsOnlyFoundUnderItsOwnConfig() {
        post("/api/v1/config/spanner", "{\"name\": \"Other\"}");
        post("/api/v1/config/spanner/1/sources", README_MAPPING);

        Reply reply = get("/api/v1/config/spanner/2/sources/1");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().get("detail").asString()).isEqualTo("No source mapping in spanner config 2 with id 1");
    }

    @Test
    void deletingAMappedSourceIs409UnlessCascade() {
        post("/api/v1/config/spanner/1/sources", README_MAPPING);

        Reply refused = delete("/api/v1/sources/1");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("detail").asString())
                .isEqualTo("DICOM source 1 is still mapped into spanner config(s) [1]; remove the mappings first or"
                        + " delete with ?cascade=true");
        assertThat(get("/api/v1/sources/1").status()).isEqualTo(200);

        assertThat(delete("/api/v1/sources/1?cascade=true").status()).isEqualTo(204);
        assertThat(get("/api/v1/sources/1").status()).isEqualTo(404);
        assertThat(get("/api/v1/config/spanner/1/sources")
                        .body()
                        .get("total_items")
                        .asLong())
                .isZero();
        assertThat(get("/api/v1/config/spanner/1").body().get("version").asLong())
                .isEqualTo(3);
    }

    @Test
    void editingAMappedSourceGivesItsConfigsANewVersion() {
        post("/api/v1/config/spanner/1/sources", README_MAPPING);
        post("/api/v1/config/spanner", "{\"name\": \"Unrelated\"}");

        put(
                "/api/v1/sources/1",
                "{\"name\": \"PACS-A\", \"ae_title\": \"PACSA\", \"host\": \"10.1.2.9\", \"port\": 104}");

        assertThat(get("/api/v1/config/spanner/1").body().get("version").asLong())
                .isEqualTo(3);
        assertThat(get("/api/v1/config/spanner/2").body().get("version").asLong())
                .isEqualTo(1);
    }
}
