package io.dicomspanner.gateway.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceEndpointRows;
import io.dicomspanner.gateway.GatewayTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DicomSourceApiTest extends GatewayTest {

    /** The body of the README's call, verbatim. */
    static final String PACS_A = """
            {"name": "PACS-A", "ae_title": "PACSA", "host": "10.1.2.3", "port": 104,
                   "calling_ae_title": "SPANNER", "max_associations": 4, "query_timeout_seconds": 20, "tls": false}""";

    @Test
    void readmeCreateCallAnswers201WithIdLocationAndTheSameFieldNames() {
        Reply created = post("/api/v1/sources/", PACS_A);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("http://localhost:" + port + "/api/v1/sources/1");
        assertThat(created.body().get("id").asLong()).isEqualTo(1);
        assertThat(created.body().get("name").asString()).isEqualTo("PACS-A");
        assertThat(created.body().get("ae_title").asString()).isEqualTo("PACSA");
        assertThat(created.body().get("host").asString()).isEqualTo("10.1.2.3");
        assertThat(created.body().get("port").asInt()).isEqualTo(104);
        assertThat(created.body().get("calling_ae_title").asString()).isEqualTo("SPANNER");
        assertThat(created.body().get("max_associations").asInt()).isEqualTo(4);
        assertThat(created.body().get("query_timeout_seconds").asInt()).isEqualTo(20);
        assertThat(created.body().get("tls").asBoolean()).isFalse();

        Reply fetched = get("/api/v1/sources/1");
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(created.body());
    }

    @Test
    void absentOptionalFieldsTakeTheirDefaults() {
        Reply created = post("/api/v1/sources", """
                {"name": "PACS-B", "ae_title": "PACSB", "host": "pacs-b.example.org", "port": 11112}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("calling_ae_title").asString()).isEqualTo("SPANNER");
        assertThat(created.body().get("tls").asBoolean()).isFalse();
        assertThat(created.body().get("max_associations").asInt()).isEqualTo(4);
        assertThat(created.body().get("query_timeout_seconds").asInt()).isEqualTo(30);
        assertThat(created.body().get("information_models").toString()).isEqualTo("[\"study_root\"]");
        assertThat(created.body().get("relational_queries").asBoolean()).isFalse();
        assertThat(created.body().get("enabled").asBoolean()).isTrue();
    }

    @Test
    void aSourceCreatedWithoutUnmatchedKeysShowsAnEmptyList() {
        Reply created = post("/api/v1/sources", PACS_A);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.raw().body()).isEqualTo(createdPacsA("[]", created));
    }

    @Test
    void unmatchedKeysAreStoredInThePs36SpellingWhateverTheCaseTheyWereSentIn() {
        Reply created = post("/api/v1/sources", pacsAIgnoring("""
                ["ModalitiesInStudy", " bodypartexamined ", "STUDYDESCRIPTION"]"""));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.raw().body())
                .isEqualTo(createdPacsA("['ModalitiesInStudy','BodyPartExamined','StudyDescription']", created));
        assertThat(get("/api/v1/sources/1").body()).isEqualTo(created.body());
    }

    @Test
    void theStoredKeysReachTheEndpointEveryServiceReadsFromTheRow() {
        post("/api/v1/sources", pacsAIgnoring("[\"ModalitiesInStudy\"]"));
        post("/api/v1/sources", PACS_A.replace("PACS-A", "PACS-B"));

        List<SourceEndpoint> endpoints = jdbc.sql(
                        "select " + SourceEndpointRows.COLUMNS + " from dicom_source s order by s.id")
                .query((rs, row) -> SourceEndpointRows.read(rs))
                .list();

        assertThat(endpoints)
                .extracting(SourceEndpoint::unmatchedKeys)
                .containsExactly(List.of("ModalitiesInStudy"), List.of());
        assertThat(endpoints.get(0).ignores("ModalitiesInStudy")).isTrue();
    }

    @Test
    void anUnknownUnmatchedKeyIsRefusedWithAProblemNamingTheValue() {
        Reply reply = post("/api/v1/sources", pacsAIgnoring("""
                ["ModalitiesInStudy", "ModalityInStudy"]"""));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.raw().body()).isEqualTo(jsonOf("""
                {'detail':'Invalid field(s): unmatched_keys[1]','instance':'/api/v1/sources','status':400,\
                'title':'Invalid request','errors':[\
                {'field':'unmatched_keys[1]','message':'\\'ModalityInStudy\\' is not a PS3.6 keyword'}]}"""));
        assertThat(get("/api/v1/sources").body().get("total_items").asLong()).isZero();
    }

    @Test
    void unmatchedKeysThatCannotBeMatchingKeysAreEachRefusedNamingTheValue() {
        Reply reply = post("/api/v1/sources", pacsAIgnoring("""
                ["ReferencedStudySequence", "PixelData", "QueryRetrieveLevel", "AffectedSOPClassUID",
                                   "{jakarta.validation.constraints.NotNull.message}", null]"""));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("errors").valueStream().map(JsonNode::toString))
                .containsExactlyInAnyOrder(
                        jsonOf("{'field':'unmatched_keys[0]','message':'ReferencedStudySequence is a sequence,"
                                + " matched through the keys of its item, not by value'}"),
                        jsonOf("{'field':'unmatched_keys[1]','message':'PixelData has VR OW,"
                                + " whose values are never matched'}"),
                        jsonOf("{'field':'unmatched_keys[2]','message':'QueryRetrieveLevel is not a matching key"
                                + " at any query level'}"),
                        jsonOf("{'field':'unmatched_keys[3]','message':'AffectedSOPClassUID is not a matching key"
                                + " at any query level'}"),
                        jsonOf("{'field':'unmatched_keys[4]','message':'\\'{jakarta.validation.constraints"
                                + ".NotNull.message}\\' is not a PS3.6 keyword'}"),
                        jsonOf("{'field':'unmatched_keys[5]','message':'must not be null'}"));
    }

    @Test
    void anUnmatchedKeyListedTwiceIsRefusedWhateverItsSpelling() {
        Reply reply = post("/api/v1/sources", pacsAIgnoring("""
                ["ModalitiesInStudy", "BodyPartExamined", "modalitiesinstudy"]"""));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.raw().body()).isEqualTo(jsonOf("""
                {'detail':'Invalid field(s): unmatched_keys','instance':'/api/v1/sources','status':400,\
                'title':'Invalid request','errors':[\
                {'field':'unmatched_keys','message':'names ModalitiesInStudy more than once'}]}"""));
        assertThat(get("/api/v1/sources").body().get("total_items").asLong()).isZero();
    }

    @Test
    void replacingTheUnmatchedKeysIsAuditedAndGivesEveryConfigMappingTheSourceANewVersion() {
        post("/api/v1/sources", PACS_A);
        post("/api/v1/sources", PACS_A.replace("PACS-A", "PACS-B"));
        post("/api/v1/config/spanner", "{\"name\": \"Maps A\"}");
        post("/api/v1/config/spanner", "{\"name\": \"Maps B\"}");
        post("/api/v1/config/spanner/1/sources", "{\"source_id\": 1, \"priority\": 1}");
        post("/api/v1/config/spanner/2/sources", "{\"source_id\": 2, \"priority\": 1}");

        Reply replaced = put("/api/v1/sources/1", pacsAIgnoring("[\"ModalitiesInStudy\"]"));

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body().get("unmatched_keys").toString()).isEqualTo("[\"ModalitiesInStudy\"]");
        assertThat(get("/api/v1/config/spanner/1").body().get("version").asLong())
                .isEqualTo(3);
        assertThat(get("/api/v1/config/spanner/2").body().get("version").asLong())
                .isEqualTo(2);
        JsonNode updated = get("/api/v1/audit-events?entity_type=dicom_source&entity_id=1")
                .body()
                .get("items")
                .get(0);
        assertThat(updated.get("action").asString()).isEqualTo("updated");
        assertThat(updated.get("before").get("unmatched_keys").toString()).isEqualTo("[]");
        assertThat(updated.get("after").get("unmatched_keys").toString()).isEqualTo("[\"ModalitiesInStudy\"]");

        // A replace takes the whole resource: without the field, nothing is known again.
        Reply cleared = put("/api/v1/sources/1", PACS_A);

        assertThat(cleared.body().get("unmatched_keys").toString()).isEqualTo("[]");
        assertThat(get("/api/v1/config/spanner/1").body().get("version").asLong())
                .isEqualTo(4);
    }

    @Test
    void listPaginatesInIdOrderWithAndWithoutTrailingSlash() {
        for (String name : new String[] {"P1", "P2", "P3"}) {
            post("/api/v1/sources", PACS_A.replace("PACS-A", name));
        }

        Reply firstPage = get("/api/v1/sources/?page=0&size=2");
        assertThat(firstPage.status()).isEqualTo(200);
        assertThat(firstPage
                        .body()
                        .get("items")
                        .valueStream()
                        .map(s -> s.get("name").asString()))
                .containsExactly("P1", "P2");
        assertThat(firstPage.body().get("page").asInt()).isEqualTo(0);
        assertThat(firstPage.body().get("size").asInt()).isEqualTo(2);
        assertThat(firstPage.body().get("total_items").asLong()).isEqualTo(3);
        assertThat(firstPage.body().get("total_pages").asInt()).isEqualTo(2);

        Reply secondPage = get("/api/v1/sources?page=1&size=2");
        assertThat(secondPage
                        .body()
                        .get("items")
                        .valueStream()
                        .map(s -> s.get("name").asString()))
                .containsExactly("P3");

        Reply defaultPage = get("/api/v1/sources");
        assertThat(defaultPage.body().get("size").asInt()).isEqualTo(50);
    }

    @Test
    void pageParametersOutOfRangeAre400NamingEachParameter() {
        Reply reply = get("/api/v1/sources?page=-1&size=501");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(errorFields(reply)).containsExactly("page", "size");
        assertThat(reply.body().get("errors").get(1).get("message").asString()).isEqualTo("must be between 1 and 500");
    }

    @Test
    void nonNumericPageIs400NamingIt() {
        Reply reply = get("/api/v1/sources?page=first");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("errors").get(0).toString())
                .isEqualTo("{\"field\":\"page\",\"message\":\"must be an integer\"}");
    }

    @Test
    void replaceChangesEveryFieldAndKeepsCreatedAt() {
        Reply created = post("/api/v1/sources", PACS_A);

        Reply replaced = put("/api/v1/sources/1/", """
                {"name": "PACS-A2", "ae_title": "PACSA2", "host": "10.1.2.4", "port": 11112, "tls": true,
                 "information_models": ["patient_root", "study_root"], "relational_queries": true,
                 "enabled": false}""");

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body().get("name").asString()).isEqualTo("PACS-A2");
        assertThat(replaced.body().get("ae_title").asString()).isEqualTo("PACSA2");
        assertThat(replaced.body().get("port").asInt()).isEqualTo(11112);
        assertThat(replaced.body().get("tls").asBoolean()).isTrue();
        assertThat(replaced.body().get("information_models").toString()).isEqualTo("[\"patient_root\",\"study_root\"]");
        assertThat(replaced.body().get("relational_queries").asBoolean()).isTrue();
        assertThat(replaced.body().get("enabled").asBoolean()).isFalse();
        assertThat(replaced.body().get("max_associations").asInt()).isEqualTo(4);
        assertThat(replaced.body().get("created_at")).isEqualTo(created.body().get("created_at"));
        assertThat(get("/api/v1/sources/1").body()).isEqualTo(replaced.body());
    }

    @Test
    void deleteAnswers204AndTheSourceIsGone() {
        post("/api/v1/sources", PACS_A);

        assertThat(delete("/api/v1/sources/1/").status()).isEqualTo(204);
        assertThat(get("/api/v1/sources/1").status()).isEqualTo(404);
    }

    @Test
    void unknownIdIs404ProblemForGetPutAndDelete() {
        Reply reply = get("/api/v1/sources/42");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.body().get("detail").asString()).isEqualTo("No DICOM source with id 42");
        assertThat(reply.body().get("instance").asString()).isEqualTo("/api/v1/sources/42");

        assertThat(put("/api/v1/sources/42", PACS_A).status()).isEqualTo(404);
        assertThat(delete("/api/v1/sources/42").status()).isEqualTo(404);
    }

    @Test
    void invalidFieldsAreAllNamedInOne400() {
        Reply reply = post("/api/v1/sources", """
                {"name": "", "ae_title": "AN_AE_TITLE_TOO_LONG", "host": "bad host!", "port": 70000,
                 "calling_ae_title": "BACK\\\\SLASH", "max_associations": 0, "query_timeout_seconds": -1,
                 "information_models": ["study_root", "worklist"]}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("title").asString()).isEqualTo("Invalid request");
        assertThat(errorFields(reply))
                .containsExactlyInAnyOrder(
                        "name",
                        "ae_title",
                        "host",
                        "port",
                        "calling_ae_title",
                        "max_associations",
                        "query_timeout_seconds",
                        "information_models[1]");
        assertThat(messageOf(reply, "ae_title")).isEqualTo("must be at most 16 characters (an AE title)");
        assertThat(messageOf(reply, "calling_ae_title")).isEqualTo("must not contain a backslash");
        assertThat(messageOf(reply, "port")).isEqualTo("must be between 1 and 65535");
        assertThat(messageOf(reply, "information_models[1]")).isEqualTo("must be one of study_root, patient_root");
    }

    @Test
    void missingRequiredFieldsAre400() {
        Reply reply = post("/api/v1/sources", "{}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(errorFields(reply)).containsExactlyInAnyOrder("name", "ae_title", "host", "port");
    }

    @Test
    void unknownFieldIs400NamingIt() {
        Reply reply = post("/api/v1/sources", PACS_A.replace("\"tls\"", "\"use_tls\""));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("errors").get(0).toString())
                .isEqualTo("{\"field\":\"use_tls\",\"message\":\"is not a known field\"}");
    }

    @Test
    void wrongTypeIs400NamingTheField() {
        Reply reply = post("/api/v1/sources", PACS_A.replace("104", "\"one-oh-four\""));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("errors").get(0).toString())
                .isEqualTo("{\"field\":\"port\",\"message\":\"must be an integer\"}");
    }

    @Test
    void malformedJsonIs400() {
        Reply reply = post("/api/v1/sources", "{\"name\": ");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("detail").asString()).isEqualTo("The request body is not well-formed JSON");
    }

    @Test
    void duplicateNameIgnoringCaseIs409() {
        post("/api/v1/sources", PACS_A);

        Reply reply = post("/api/v1/sources", PACS_A.replace("PACS-A", "pacs-a"));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body().get("detail").asString()).isEqualTo("A DICOM source named 'pacs-a' exists already");
    }

    @Test
    void renamingOntoAnotherSourcesNameIs409() {
        post("/api/v1/sources", PACS_A);
        post("/api/v1/sources", PACS_A.replace("PACS-A", "PACS-B"));

        assertThat(put("/api/v1/sources/2", PACS_A).status()).isEqualTo(409);
    }

    @Test
    void ipv6HostIsAccepted() {
        assertThat(post("/api/v1/sources", PACS_A.replace("10.1.2.3", "fd00::10:1"))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void wrongMethodIs405Problem() {
        Reply reply = send("PATCH", "/api/v1/sources/1", adminKey, "{}");

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
    }

    /** The README's source, declared to ignore the matching keys of a JSON array. */
    private static String pacsAIgnoring(String unmatchedKeys) {
        return PACS_A.replace("\"tls\"", "\"unmatched_keys\": " + unmatchedKeys + ", \"tls\"");
    }

    /**
     * The exact body of the README's source as created with id 1, its timestamps taken from the reply: nothing
     * observed yet, so the worker verifies the declared keys.
     */
    private static String createdPacsA(String unmatchedKeys, Reply created) {
        String createdAt = created.body().get("created_at").asString();
        return jsonOf("""
                {'id':1,'name':'PACS-A','ae_title':'PACSA','host':'10.1.2.3','port':104,\
                'calling_ae_title':'SPANNER','tls':false,'tls_verify_hostname':true,'max_associations':4,'query_timeout_seconds':20,\
                'information_models':['study_root'],'relational_queries':false,'unmatched_keys':%s,\
                'matching':{'verified_keys':%s,'observations':[],'probe':null},'location':null,'tags':[],'enabled':true,\
                'created_at':'%s','updated_at':'%s'}""".formatted(unmatchedKeys, unmatchedKeys, createdAt, createdAt));
    }

    private static String messageOf(Reply reply, String field) {
        return reply.body()
                .get("errors")
                .valueStream()
                .filter(e -> e.get("field").asString().equals(field))
                .findFirst()
                .orElseThrow()
                .get("message")
                .asString();
    }
}
