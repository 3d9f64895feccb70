package io.dicomspanner.gateway.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.DicomWebEndpoint;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceEndpointRows;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.gateway.GatewayTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class DicomWebSourceApiTest extends GatewayTest {

    static final String PASSWORD = "s3cret-Orthanc!";

    static final String ORTHANC_BASIC = """
            {"name": "Orthanc-web", "protocol": "dicomweb", "ae_title": "ORTHANC",
             "base_url": "https://archive.example.org:8443/dicom-web/",
             "auth": {"type": "basic", "username": "spanner", "password": "%s"},
             "page_size": 50, "max_associations": 3, "query_timeout_seconds": 15}""".formatted(PASSWORD);

    @Autowired
    SealedCodec sealedCodec;

    @Test
    void aDicomwebSourceIsCreatedWithItsHostAndPortFromTheBaseUrlAndNoSecretInTheAnswer() {
        Reply created = post("/api/v1/sources", ORTHANC_BASIC);

        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String at = created.body().get("created_at").asString();
        assertThat(created.raw().body()).isEqualTo(jsonOf("""
                {'id':1,'name':'Orthanc-web','ae_title':'ORTHANC','host':'archive.example.org','port':8443,\
                'calling_ae_title':'SPANNER','tls':true,'tls_verify_hostname':true,'max_associations':3,\
                'query_timeout_seconds':15,'information_models':['study_root'],'relational_queries':true,\
                'unmatched_keys':[],'matching':{'verified_keys':[],'observations':[],'probe':null},'location':null,\
                'tags':[],'enabled':true,'protocol':'dicomweb','base_url':'https://archive.example.org:8443/dicom-web',\
                'auth':{'type':'basic','username':'spanner','has_password':true},'page_size':50,\
                'includefield_all':false,'fuzzymatching':false,'limit_offset':true,'max_results':0,\
                'created_at':'%s','updated_at':'%s'}""".formatted(at, at)));
        assertThat(get("/api/v1/sources/1").body()).isEqualTo(created.body());
        assertThat(get("/api/v1/sources").raw().body()).doesNotContain(PASSWORD);
    }

    @Test
    void thePasswordIsStoredSealedAndReachesTheEndpointStillSealed() {
        post("/api/v1/sources", ORTHANC_BASIC);

        byte[] stored = jdbc.sql("select auth_secret from dicom_source where id = 1")
                .query(byte[].class)
                .single();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);
        assertThat(new String(sealedCodec.sealer().open(stored), StandardCharsets.UTF_8))
                .isEqualTo(PASSWORD);
        String audit = jdbc.sql("select string_agg(coalesce(before::text, '') || coalesce(after::text, ''), '')"
                        + " from audit_event")
                .query(String.class)
                .single();
        assertThat(audit).contains("Orthanc-web").doesNotContain(PASSWORD);

        SourceEndpoint endpoint = jdbc.sql("select " + SourceEndpointRows.COLUMNS + " from dicom_source s")
                .query((rs, row) -> SourceEndpointRows.read(rs))
                .single();
        DicomWebEndpoint web = endpoint.dicomweb();
        assertThat(endpoint.usesDicomWeb()).isTrue();
        assertThat(endpoint.host()).isEqualTo("archive.example.org");
        assertThat(endpoint.port()).isEqualTo(8443);
        assertThat(endpoint.maxAssociations()).isEqualTo(3);
        assertThat(web.baseUrl()).isEqualTo("https://archive.example.org:8443/dicom-web");
        assertThat(web.auth()).isEqualTo(DicomWebEndpoint.Auth.BASIC);
        assertThat(web.username()).isEqualTo("spanner");
        assertThat(web.pageSize()).isEqualTo(50);
        assertThat(web.limitOffset()).isTrue();
        assertThat(web.maxResults()).isZero();
        assertThat(new String(
                        sealedCodec.sealer().open(Base64.getDecoder().decode(web.sealedSecret())),
                        StandardCharsets.UTF_8))
                .isEqualTo(PASSWORD);
    }

    @Test
    void aDimseSourceReadsAsAnEndpointWithoutDicomweb() {
        post("/api/v1/sources", DicomSourceApiTest.PACS_A);

        SourceEndpoint endpoint = jdbc.sql("select " + SourceEndpointRows.COLUMNS + " from dicom_source s")
                .query((rs, row) -> SourceEndpointRows.read(rs))
                .single();

        assertThat(endpoint.dicomweb()).isNull();
        assertThat(get("/api/v1/sources/1").body().has("protocol")).isFalse();
    }

    @Test
    void aBearerTokenFromAFileIsShownByItsPathAndAnInlineOneOnlyAsPresent() {
        Reply fromFile = post("/api/v1/sources", """
                {"name": "web-a", "protocol": "dicomweb", "ae_title": "WEBA", "base_url": "http://10.0.0.5",
                 "auth": {"type": "bearer", "token_file": "/run/secrets/qido-token"}}""");
        Reply inline = post("/api/v1/sources", """
                {"name": "web-b", "protocol": "dicomweb", "ae_title": "WEBB", "base_url": "http://10.0.0.6:8080/qido",
                 "auth": {"type": "bearer", "token": "eyJhbGciOi.payload.sig"}, "includefield_all": true}""");
        Reply none = post("/api/v1/sources", """
                {"name": "web-c", "protocol": "dicomweb", "ae_title": "WEBC", "base_url": "http://10.0.0.7"}""");

        assertThat(fromFile.body().get("auth").toString())
                .isEqualTo(jsonOf("{'type':'bearer','has_token':false,'token_file':'/run/secrets/qido-token'}"));
        assertThat(fromFile.body().get("port").asInt()).isEqualTo(80);
        assertThat(fromFile.body().get("tls").asBoolean()).isFalse();
        assertThat(fromFile.body().get("page_size").asInt()).isEqualTo(100);
        assertThat(inline.body().get("auth").toString()).isEqualTo(jsonOf("{'type':'bearer','has_token':true}"));
        assertThat(inline.raw().body()).doesNotContain("eyJhbGciOi");
        assertThat(inline.body().get("includefield_all").asBoolean()).isTrue();
        assertThat(none.body().get("auth").toString()).isEqualTo(jsonOf("{'type':'none'}"));
    }

    @Test
    void theResultCapAndRelationalQueriesAreStoredAsGivenAndReachTheEndpoint() {
        Reply created = post("/api/v1/sources", """
                {"name": "Capped", "protocol": "dicomweb", "ae_title": "CAPPED", "base_url": "http://h:8042/dicom-web",
                 "max_results": 100, "relational_queries": false}""");

        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.body().get("max_results").asInt()).isEqualTo(100);
        assertThat(created.body().get("relational_queries").asBoolean()).isFalse();
        SourceEndpoint endpoint = jdbc.sql("select " + SourceEndpointRows.COLUMNS + " from dicom_source s")
                .query((rs, row) -> SourceEndpointRows.read(rs))
                .single();
        assertThat(endpoint.dicomweb().maxResults()).isEqualTo(100);
        assertThat(endpoint.relationalQueries()).isFalse();
    }

    @Test
    void badDicomwebFieldsAreEachRefusedNamingTheField() {
        assertRefused("""
                {"name": "x", "protocol": "qido", "ae_title": "X", "base_url": "http://h"}""", "protocol", "must be one of dimse, dicomweb");
        assertRefused("""
                {"name": "x", "protocol": "dicomweb", "ae_title": "X", "base_url": "ftp://h/dicom-web"}""", "base_url", "must be an http or https URL");
        assertRefused("""
                {"name": "x", "protocol": "dicomweb", "ae_title": "X", "base_url": "http://h a/x"}""", "base_url", "is not a URL: Illegal character in authority");
        assertRefused("""
                {"name": "x", "protocol": "dicomweb", "ae_title": "X"}""", "base_url", "must not be blank for a source of protocol dicomweb");
        assertRefused("""
                {"name": "x", "protocol": "dicomweb", "ae_title": "X", "base_url": "http://u:p@h/"}""", "base_url", "must hold no credentials: give them in auth, where they are stored sealed");
        assertRefused("""
                {"name": "x", "protocol": "dicomweb", "ae_title": "X", "base_url": "http://h",
                 "auth": {"type": "basic", "username": "spanner"}}""", "auth.password", "must not be empty for auth basic");
        assertRefused("""
                {"name": "x", "protocol": "dicomweb", "ae_title": "X", "base_url": "http://h",
                 "auth": {"type": "bearer", "token": "abc", "token_file": "/run/t"}}""", "auth.token", "give either token or token_file for auth bearer, not both");
        assertRefused("""
                {"name": "x", "protocol": "dicomweb", "ae_title": "X", "base_url": "http://h",
                 "auth": {"type": "kerberos"}}""", "auth.type", "must be one of none, basic, bearer");
        assertRefused("""
                {"name": "x", "protocol": "dicomweb", "ae_title": "X", "base_url": "http://h", "port": 104}""", "port", "does not apply to a source of protocol dicomweb");
        assertRefused("""
                {"name": "x", "ae_title": "X", "host": "h", "port": 104, "base_url": "http://h"}""", "base_url", "does not apply to a source of protocol dimse");
        assertRefused("""
                {"name": "x", "ae_title": "X", "port": 104}""", "host", "must not be blank");
        assertRefused("""
                {"name": "x", "protocol": "dicomweb", "ae_title": "X", "base_url": "http://h", "page_size": 0}""", "page_size", "must be between 1 and 10000");
        assertRefused("""
                {"name": "x", "protocol": "dicomweb", "ae_title": "X", "base_url": "http://h", "max_results": -1}""", "max_results", "must be between 0 and 1000000");
        assertRefused("""
                {"name": "x", "ae_title": "X", "host": "h", "port": 104, "max_results": 100}""", "max_results", "does not apply to a source of protocol dimse");
        assertThat(get("/api/v1/sources").body().get("total_items").asLong()).isZero();
    }

    private void assertRefused(String body, String field, String message) {
        Reply reply = post("/api/v1/sources", body);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.body().get("errors").toString())
                .isEqualTo(jsonOf("[{'field':'" + field + "','message':'" + message.replace("'", "\\\\'") + "'}]"));
    }

    @Test
    void theCapabilityProbeIsRefusedForADicomwebSource() {
        post("/api/v1/sources", ORTHANC_BASIC);

        Reply reply = post("/api/v1/sources/1/matching/probe", "{}");

        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(409);
        assertThat(reply.body().get("detail").asString())
                .isEqualTo("Source 1 is of protocol dicomweb: the capability probe asks C-FIND SCPs only; declare the"
                        + " keys it ignores in its unmatched_keys");
    }

    @Test
    void aMappingTakesTheSourcesTypeAndRefusesTheOtherOne() {
        post("/api/v1/sources", DicomSourceApiTest.PACS_A);
        post("/api/v1/sources", ORTHANC_BASIC);
        post("/api/v1/config/spanner/", """
                {"name": "Both", "timeout_seconds": 30, "failure_strategy": "partial_results"}""");

        Reply web = post("/api/v1/config/spanner/1/sources", "{\"source_type\": \"dicomweb\", \"source_id\": 2}");
        Reply dimse = post("/api/v1/config/spanner/1/sources", "{\"source_id\": 1, \"priority\": 2}");
        Reply wrongWeb = post("/api/v1/config/spanner/1/sources", "{\"source_type\": \"modality\", \"source_id\": 2}");
        Reply wrongDimse =
                post("/api/v1/config/spanner/1/sources", "{\"source_type\": \"dicomweb\", \"source_id\": 1}");

        assertThat(web.status()).isEqualTo(201);
        assertThat(web.body().get("source_type").asString()).isEqualTo("dicomweb");
        assertThat(dimse.status()).isEqualTo(201);
        assertThat(dimse.body().get("source_type").asString()).isEqualTo("modality");
        assertThat(wrongWeb.status()).isEqualTo(400);
        assertThat(wrongWeb.body().get("errors").toString())
                .isEqualTo(jsonOf("[{'field':'source_type','message':'source 2 is of protocol dicomweb: map it with"
                        + " source_type dicomweb, not modality'}]"));
        assertThat(wrongDimse.status()).isEqualTo(400);
        assertThat(wrongDimse.body().get("errors").toString())
                .isEqualTo(jsonOf("[{'field':'source_type','message':'source 1 is of protocol dimse: map it with"
                        + " source_type modality, not dicomweb'}]"));
        List<String> types = jdbc.sql("select source_type from source_mapping order by id")
                .query(String.class)
                .list();
        assertThat(types).containsExactly("dicomweb", "modality");

        // a mapped source keeps its protocol; deleting it with cascade removes its dicomweb mapping
        Reply toDimse = put("/api/v1/sources/2", """
                {"name": "Orthanc-web", "ae_title": "ORTHANC", "host": "h", "port": 4242}""");
        assertThat(toDimse.status()).isEqualTo(400);
        assertThat(errorFields(toDimse)).containsExactly("protocol");
        assertThat(delete("/api/v1/sources/2?cascade=true").status()).isEqualTo(204);
        assertThat(jdbc.sql("select count(*) from source_mapping")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }
}
