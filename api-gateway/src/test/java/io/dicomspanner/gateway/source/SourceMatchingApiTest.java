package io.dicomspanner.gateway.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.capability.KeyObservation;
import io.dicomspanner.common.capability.KeyObservation.Origin;
import io.dicomspanner.common.capability.KeyObservationRows;
import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.ProbeRequest;
import io.dicomspanner.common.messaging.ProbeStatus;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.gateway.GatewayTest;
import io.dicomspanner.gateway.apikey.ApiKeyRequest;
import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.span.SpanProperties;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

/**
 * What a source matches on, over real HTTP, PostgreSQL, Redis and RabbitMQ: declared keys from the admin API,
 * observations stored through {@link KeyObservationRows} as the worker stores them, the probe status as the worker
 * records it in Redis, and a queue bound as a worker's to receive probe requests.
 */
class SourceMatchingApiTest extends GatewayTest {

    private static final Instant SEEN = Instant.parse("2026-12-01T09:00:00Z");
    private static final Instant LATER = Instant.parse("2026-12-01T09:30:00Z");

    @Autowired
    KeyObservationRows observations;

    @Autowired
    SealedCodec sealed;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RabbitAdmin rabbitAdmin;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    SpanProperties spanProperties;

    private long sourceId;
    private String workerQueue;

    @BeforeEach
    void sourceWithAnIdNoOtherTestUses() {
        Reply created = post("/api/v1/sources", jsonOf("""
                {'name': 'PACS-B', 'ae_title': 'DCMQRSCP', 'host': '10.1.2.4', 'port': 11112,
                 'unmatched_keys': ['StudyDescription', 'BodyPartExamined']}"""));
        assertThat(created.status()).isEqualTo(201);
        // Redis and RabbitMQ are shared with the other modules' tests: a source id of its own keeps their keys apart.
        sourceId = 900_000_000L + ThreadLocalRandom.current().nextInt(99_999_999);
        jdbc.sql("update dicom_source set id = :id").param("id", sourceId).update();
        workerQueue = "spanner.test.gateway.probe." + sourceId;
        rabbitAdmin.declareExchange(TopologyDeclarations.healthEchoExchange(spanProperties.healthEchoExchange()));
    }

    @AfterEach
    void cleanUp() {
        redis.delete(RedisKeys.matchingProbe(sourceId));
        rabbitAdmin.deleteQueue(workerQueue);
        rabbitAdmin.deleteExchange(spanProperties.healthEchoExchange());
    }

    @Test
    void aSourceShowsTheDeclaredKeysThenTheObservedOnesThatNeedVerificationWithEveryObservationAndTheLastProbe() {
        observeTheFiveKeys();
        redis.opsForValue()
                .set(
                        RedisKeys.matchingProbe(sourceId),
                        MessageCodec.instance()
                                .writeString(new ProbeStatus(
                                        "5f0c6a7e-0000-4000-8000-000000000001",
                                        ProbeStatus.State.DONE,
                                        SEEN,
                                        Instant.parse("2026-12-01T09:00:02.250Z"),
                                        4,
                                        null)));

        Reply source = get("/api/v1/sources/" + sourceId);

        assertThat(source.status()).isEqualTo(200);
        String updatedAt = source.body().get("updated_at").asString();
        assertThat(source.raw().body()).isEqualTo(jsonOf("""
                {'id':%d,'name':'PACS-B','ae_title':'DCMQRSCP','host':'10.1.2.4','port':11112,\
                'calling_ae_title':'SPANNER','tls':false,'tls_verify_hostname':true,'max_associations':4,'query_timeout_seconds':30,\
                'information_models':['study_root'],'relational_queries':false,\
                'unmatched_keys':['StudyDescription','BodyPartExamined'],\
                'matching':%s,'location':null,'tags':[],\
                'enabled':true,'created_at':'%s','updated_at':'%s'}""".formatted(
                sourceId, FIVE_KEYS_MATCHING, source.body().get("created_at").asString(), updatedAt)));

        Reply matching = get("/api/v1/sources/" + sourceId + "/matching");

        assertThat(matching.status()).isEqualTo(200);
        assertThat(matching.raw().body())
                .isEqualTo(jsonOf("{'source_id':%d,'name':'PACS-B',".formatted(sourceId))
                        + FIVE_KEYS_MATCHING.substring(1));
    }

    /** The matching of the five observations of {@link #observeTheFiveKeys}, with a finished probe. */
    private static final String FIVE_KEYS_MATCHING = jsonOf("""
            {'verified_keys':['StudyDescription','BodyPartExamined','InstitutionName','ModalitiesInStudy'],\
            'observations':[\
            {'keyword':'AccessionNumber','matched':true,'returned':true,'origin':'learned',\
            'observed_at':'2026-12-01T09:00:00Z','evidence':'12 answers matched it'},\
            {'keyword':'BodyPartExamined','matched':false,'returned':false,'origin':'probed',\
            'observed_at':'2026-12-01T09:00:00Z','evidence':'2 C-FINDs: a value no record has matched 3 records'},\
            {'keyword':'InstitutionName','matched':null,'returned':false,'origin':'probed',\
            'observed_at':'2026-12-01T09:00:00Z','evidence':'not returned; no record to test matching with'},\
            {'keyword':'ModalitiesInStudy','matched':false,'returned':true,'origin':'probed',\
            'observed_at':'2026-12-01T09:00:00Z','evidence':'2 C-FINDs: a value no record has matched 2 records'},\
            {'keyword':'ReferringPhysicianName','matched':null,'returned':true,'origin':'learned',\
            'observed_at':'2026-12-01T09:00:00Z','evidence':'returned; not yet seen filtering'}],\
            'probe':{'request_id':'5f0c6a7e-0000-4000-8000-000000000001','state':'done',\
            'started_at':'2026-12-01T09:00:00Z','finished_at':'2026-12-01T09:00:02.250Z','cfinds':4,'error':null}}""");

    /**
     * Five keys as the worker could have observed them: two that need verification and are not declared
     * (ModalitiesInStudy ignored, InstitutionName of unknown matching and not returned), one that is declared as
     * well (BodyPartExamined), and two the worker need not verify (matched, or returned so it can be re-checked).
     */
    private void observeTheFiveKeys() {
        observations.record(observation(
                "ModalitiesInStudy",
                false,
                true,
                Origin.PROBED,
                SEEN,
                "2 C-FINDs: a value no record has matched 2 records"));
        observations.record(observation("AccessionNumber", true, true, Origin.LEARNED, SEEN, "12 answers matched it"));
        observations.record(observation(
                "BodyPartExamined",
                false,
                false,
                Origin.PROBED,
                SEEN,
                "2 C-FINDs: a value no record has matched 3 records"));
        observations.record(observation(
                "InstitutionName", null, false, Origin.PROBED, SEEN, "not returned; no record to test matching with"));
        observations.record(observation(
                "ReferringPhysicianName", null, true, Origin.LEARNED, SEEN, "returned; not yet seen filtering"));
    }

    private KeyObservation observation(
            String keyword, Boolean matched, Boolean returned, Origin origin, Instant at, String evidence) {
        return new KeyObservation(sourceId, keyword, matched, returned, origin, at, evidence);
    }

    @Test
    void aSourceWithNothingObservedVerifiesItsDeclaredKeysInTheirOrderAndShowsNoProbe() {
        Reply matching = get("/api/v1/sources/" + sourceId + "/matching");

        assertThat(matching.status()).isEqualTo(200);
        assertThat(matching.raw().body()).isEqualTo(jsonOf("""
                {'source_id':%d,'name':'PACS-B','verified_keys':['StudyDescription','BodyPartExamined'],\
                'observations':[],'probe':null}""".formatted(sourceId)));
    }

    @Test
    void theListShowsTheMatchingOfEverySourceOfThePage() {
        observations.record(observation("ModalitiesInStudy", false, true, Origin.PROBED, SEEN, "ignored"));
        Reply other = post("/api/v1/sources", jsonOf("""
                {'name': 'PACS-C', 'ae_title': 'ORTHANC', 'host': '10.1.2.5', 'port': 4242}"""));
        long otherId = other.body().get("id").asLong();
        observations.record(new KeyObservation(
                otherId, "PatientBirthDate", true, true, Origin.LEARNED, LATER, "5 answers matched it"));
        observations.record(
                new KeyObservation(otherId, "AccessionNumber", null, false, Origin.LEARNED, LATER, "not returned"));

        Reply page = get("/api/v1/sources");

        assertThat(page.status()).isEqualTo(200);
        List<String> matchings = page.body()
                .get("items")
                .valueStream()
                .map(item -> item.get("id").asLong() + "=" + item.get("matching"))
                .toList();
        assertThat(matchings).containsExactlyInAnyOrder(sourceId + "=" + jsonOf("""
                                {'verified_keys':['StudyDescription','BodyPartExamined','ModalitiesInStudy'],\
                                'observations':[{'keyword':'ModalitiesInStudy','matched':false,'returned':true,\
                                'origin':'probed','observed_at':'2026-12-01T09:00:00Z','evidence':'ignored'}],\
                                'probe':null}"""), otherId + "=" + jsonOf("""
                                {'verified_keys':['AccessionNumber'],\
                                'observations':[{'keyword':'AccessionNumber','matched':null,'returned':false,\
                                'origin':'learned','observed_at':'2026-12-01T09:30:00Z','evidence':'not returned'},\
                                {'keyword':'PatientBirthDate','matched':true,'returned':true,\
                                'origin':'learned','observed_at':'2026-12-01T09:30:00Z',\
                                'evidence':'5 answers matched it'}],\
                                'probe':null}"""));
        assertThat(get("/api/v1/sources/" + otherId).body().get("matching"))
                .isEqualTo(page.body()
                        .get("items")
                        .valueStream()
                        .filter(item -> item.get("id").asLong() == otherId)
                        .findFirst()
                        .orElseThrow()
                        .get("matching"));
    }

    @Test
    void theObservationsOfSeveralSourcesComeInOneListBySourceThenKeyword() {
        long otherId = post("/api/v1/sources", jsonOf("""
                        {'name': 'PACS-C', 'ae_title': 'ORTHANC', 'host': '10.1.2.5', 'port': 4242}""")).body().get("id").asLong();
        observations.record(observation("StudyDate", true, true, Origin.LEARNED, SEEN, "matched"));
        observations.record(new KeyObservation(otherId, "PatientSex", false, true, Origin.PROBED, LATER, "ignored"));
        observations.record(observation("AccessionNumber", true, true, Origin.LEARNED, SEEN, "matched"));

        assertThat(observations.ofSources(List.of(sourceId, otherId)))
                .extracting(o -> o.sourceId() + ":" + o.keyword())
                .containsExactly(otherId + ":PatientSex", sourceId + ":AccessionNumber", sourceId + ":StudyDate");
        assertThat(observations.ofSources(List.of(otherId)))
                .extracting(KeyObservation::keyword)
                .containsExactly("PatientSex");
        assertThat(observations.ofSources(List.of())).isEmpty();
    }

    @Test
    void aProbeEntryThatIsNoProbeStatusShowsAsNone() {
        redis.opsForValue().set(RedisKeys.matchingProbe(sourceId), "\"done\"");

        Reply matching = get("/api/v1/sources/" + sourceId + "/matching");

        assertThat(matching.status()).isEqualTo(200);
        assertThat(matching.body().get("probe").isNull()).isTrue();
    }

    @Test
    void aRunningProbeShowsWithoutAnEnd() {
        redis.opsForValue()
                .set(
                        RedisKeys.matchingProbe(sourceId),
                        MessageCodec.instance()
                                .writeString(new ProbeStatus(
                                        "5f0c6a7e-0000-4000-8000-000000000002",
                                        ProbeStatus.State.RUNNING,
                                        SEEN,
                                        null,
                                        1,
                                        null)));

        Reply matching = get("/api/v1/sources/" + sourceId + "/matching");

        assertThat(matching.body().get("probe").toString()).isEqualTo(jsonOf("""
                {'request_id':'5f0c6a7e-0000-4000-8000-000000000002','state':'running',\
                'started_at':'2026-12-01T09:00:00Z','finished_at':null,'cfinds':1,'error':null}"""));
    }

    @Test
    void theAuditTrailKeepsTheSourceAsConfiguredWithoutItsMatching() {
        observations.record(observation("ModalitiesInStudy", false, true, Origin.PROBED, SEEN, "ignored"));

        Reply replaced = put("/api/v1/sources/" + sourceId, jsonOf("""
                {'name': 'PACS-B', 'ae_title': 'DCMQRSCP', 'host': '10.1.2.4', 'port': 11112,
                 'unmatched_keys': ['BodyPartExamined']}"""));

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body().get("matching").get("verified_keys").toString())
                .isEqualTo(jsonOf("['BodyPartExamined','ModalitiesInStudy']"));
        JsonNode updated = auditEvents().get(0);
        assertThat(updated.get("action").asString()).isEqualTo("updated");
        assertThat(updated.get("before").has("matching")).isFalse();
        assertThat(updated.get("after").has("matching")).isFalse();
        assertThat(updated.get("after").get("unmatched_keys").toString()).isEqualTo("[\"BodyPartExamined\"]");
    }

    @Test
    void theHealthNamesTheKeysTheWorkerVerifies() {
        observations.record(observation("ModalitiesInStudy", false, true, Origin.PROBED, SEEN, "ignored"));

        Reply health = get("/api/v1/sources/" + sourceId + "/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.raw().body()).isEqualTo(jsonOf("""
                {'source_id':%d,'name':'PACS-B','ae_title':'DCMQRSCP',\
                'verified_keys':['StudyDescription','BodyPartExamined','ModalitiesInStudy'],\
                'state':'unknown'}""".formatted(sourceId)));
    }

    @Test
    void aProbeRequestGoesToTheWorkersOfTheSourceWithTheKeysInTheirPs36SpellingAndIsAudited() {
        bindAWorkerQueue();
        long adminKeyId = jdbc.sql("select id from api_key where name = 'test-admin'")
                .query(Long.class)
                .single();
        long before = System.currentTimeMillis();

        Reply accepted = post("/api/v1/sources/" + sourceId + "/matching/probe", """
                {"keys": ["modalitiesinstudy", " BodyPartExamined "]}""");

        long after = System.currentTimeMillis();
        assertThat(accepted.status()).isEqualTo(202);
        String requestId = accepted.body().get("request_id").asString();
        String matchingUrl = "/api/v1/sources/" + sourceId + "/matching";
        assertThat(accepted.header("Location")).isEqualTo(matchingUrl);
        assertThat(accepted.raw().body())
                .isEqualTo(jsonOf("{'request_id':'%s','source_id':%d,'matching_url':'%s'}"
                        .formatted(requestId, sourceId, matchingUrl)));
        ProbeRequest probe = receivedProbe();
        assertThat(probe.requestedEpochMillis()).isBetween(before, after);
        assertThat(probe)
                .isEqualTo(new ProbeRequest(
                        requestId,
                        sourceId,
                        List.of("ModalitiesInStudy", "BodyPartExamined"),
                        "api-key:" + adminKeyId,
                        probe.requestedEpochMillis()));
        JsonNode audited = auditEvents().get(0);
        assertThat(audited.get("action").asString()).isEqualTo("matching_probe_requested");
        assertThat(audited.get("actor").asString()).isEqualTo("api-key:test-admin");
        assertThat(audited.get("before").isNull()).isTrue();
        // jsonb keeps no order of keys: compared as JSON
        assertThat(audited.get("after"))
                .isEqualTo(json.readTree(jsonOf(
                        "{'request_id':'%s','keys':['ModalitiesInStudy','BodyPartExamined']}".formatted(requestId))));
    }

    @Test
    void aProbeRequestWithoutABodyAsksForTheProbesDefaultKeys() {
        bindAWorkerQueue();

        Reply accepted = post("/api/v1/sources/" + sourceId + "/matching/probe", null);

        assertThat(accepted.status()).isEqualTo(202);
        ProbeRequest probe = receivedProbe();
        assertThat(probe.requestId())
                .isEqualTo(accepted.body().get("request_id").asString());
        assertThat(probe.keywords()).isEmpty();
        assertThat(probe.sourceId()).isEqualTo(sourceId);
    }

    @Test
    void aProbeRequestWithoutAWorkerForTheSourceIs503AndNotAudited() {
        long eventsBefore = auditEvents().size();

        Reply refused = post("/api/v1/sources/" + sourceId + "/matching/probe", "{\"keys\": [\"ModalitiesInStudy\"]}");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.raw().body()).isEqualTo(jsonOf("""
                {'detail':'No worker serves source %d','instance':'/api/v1/sources/%d/matching/probe',\
                'status':503,'title':'Service Unavailable'}""".formatted(sourceId, sourceId)));
        assertThat(refused.header("Retry-After")).isEqualTo("5");
        assertThat(auditEvents()).hasSize((int) eventsBefore);
    }

    @Test
    void aProbeOfAKeyThatIsNoMatchingKeywordIs400NamingItsPlace() {
        bindAWorkerQueue();
        String path = "/api/v1/sources/" + sourceId + "/matching/probe";

        Reply unknown = post(path, "{\"keys\": [\"ModalitiesInStudy\", \"ModalityInStudy\"]}");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(unknown.raw().body()).isEqualTo(jsonOf("""
                {'detail':'Invalid field(s): keys[1]','instance':'%s','status':400,\
                'title':'Invalid request','errors':[\
                {'field':'keys[1]','message':'\\'ModalityInStudy\\' is not a PS3.6 keyword'}]}""".formatted(path)));

        Reply twice = post(path, "{\"keys\": [\"ModalitiesInStudy\", \"modalitiesinstudy\"]}");

        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.body().get("errors").toString())
                .isEqualTo(jsonOf("[{'field':'keys','message':'names ModalitiesInStudy more than once'}]"));

        Reply imageLevel = post(path, "{\"keys\": [\"PatientID\", \"sopinstanceuid\", null]}");

        assertThat(imageLevel.status()).isEqualTo(400);
        assertThat(imageLevel.body().get("errors").valueStream().map(JsonNode::toString))
                .containsExactlyInAnyOrder(
                        jsonOf("{'field':'keys[1]','message':'SOPInstanceUID is an image-level key;"
                                + " the probe asks patient, study and series keys'}"),
                        jsonOf("{'field':'keys[2]','message':'must not be null'}"));

        Reply misspelt = post(path, "{\"key\": [\"ModalitiesInStudy\"]}");

        assertThat(misspelt.status()).isEqualTo(400);
        assertThat(misspelt.body().get("errors").toString())
                .isEqualTo(jsonOf("[{'field':'key','message':'is not a known field'}]"));
        assertThat(rabbit.receive(workerQueue)).isNull();
    }

    @Test
    void anUnknownSourceIs404ForEveryMatchingCall() {
        bindAWorkerQueue();
        String unknown = "/api/v1/sources/" + (sourceId + 1);

        Reply matching = get(unknown + "/matching");

        assertThat(matching.status()).isEqualTo(404);
        assertThat(matching.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(matching.body().get("detail").asString()).isEqualTo("No DICOM source with id " + (sourceId + 1));
        assertThat(post(unknown + "/matching/probe", null).status()).isEqualTo(404);
        assertThat(delete(unknown + "/matching/observations/ModalitiesInStudy").status())
                .isEqualTo(404);
    }

    @Test
    void forgettingAnObservationTheWorkerActedOnGivesEveryConfigMappingTheSourceANewVersionOnce() {
        observations.record(observation("ModalitiesInStudy", false, true, Origin.PROBED, SEEN, "ignored"));
        long mapped = configMapping(sourceId, "Maps B");
        long unmapped = configMapping(null, "Maps nothing");
        long mappedVersion = version(mapped);
        long unmappedVersion = version(unmapped);

        Reply forgotten = delete("/api/v1/sources/" + sourceId + "/matching/observations/ModalitiesInStudy");

        assertThat(forgotten.status()).isEqualTo(204);
        assertThat(forgotten.body()).isNull();
        assertThat(version(mapped)).isEqualTo(mappedVersion + 1);
        assertThat(version(unmapped)).isEqualTo(unmappedVersion);
        assertThat(observations.of(sourceId)).isEmpty();
        assertThat(get("/api/v1/sources/" + sourceId + "/matching")
                        .body()
                        .get("verified_keys")
                        .toString())
                .isEqualTo(jsonOf("['StudyDescription','BodyPartExamined']"));
        JsonNode audited = auditEvents().get(0);
        assertThat(audited.get("action").asString()).isEqualTo("matching_observation_forgotten");
        assertThat(audited.get("before")).isEqualTo(json.readTree(jsonOf("""
                {'keyword':'ModalitiesInStudy','matched':false,'returned':true,'origin':'probed',\
                'observed_at':'2026-12-01T09:00:00Z','evidence':'ignored'}""")));
        assertThat(audited.get("after").isNull()).isTrue();

        Reply again = delete("/api/v1/sources/" + sourceId + "/matching/observations/ModalitiesInStudy");

        assertThat(again.status()).isEqualTo(404);
        assertThat(again.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(again.raw().body()).isEqualTo(jsonOf("""
                {'detail':'DICOM source %d has no observation of ModalitiesInStudy',\
                'instance':'/api/v1/sources/%d/matching/observations/ModalitiesInStudy','status':404,\
                'title':'Not Found'}""".formatted(sourceId, sourceId)));
        assertThat(version(mapped)).isEqualTo(mappedVersion + 1);
    }

    @Test
    void forgettingAnObservationTheWorkerActedOnGivesEveryConfigSelectingTheSourceANewVersion() {
        observations.record(observation("ModalitiesInStudy", false, true, Origin.PROBED, SEEN, "ignored"));
        jdbc.sql("update dicom_source set location = 'north', tags = '{ct}' where id = ?")
                .param(sourceId)
                .update();
        long byLocation = post("/api/v1/config/spanner", "{\"name\": \"North\", \"include_locations\": [\"north\"]}")
                .body()
                .get("id")
                .asLong();
        long byTag = post("/api/v1/config/spanner", "{\"name\": \"CT\", \"include_tags\": [\"ct\"]}")
                .body()
                .get("id")
                .asLong();
        long elsewhere = post("/api/v1/config/spanner", "{\"name\": \"South\", \"include_locations\": [\"south\"]}")
                .body()
                .get("id")
                .asLong();

        assertThat(delete("/api/v1/sources/" + sourceId + "/matching/observations/ModalitiesInStudy")
                        .status())
                .isEqualTo(204);

        assertThat(List.of(version(byLocation), version(byTag), version(elsewhere)))
                .containsExactly(2L, 2L, 1L);
    }

    @Test
    void forgettingAnObservationTheWorkerDidNotActOnKeepsTheVersions() {
        observations.record(observation("AccessionNumber", true, true, Origin.LEARNED, SEEN, "matched"));
        long mapped = configMapping(sourceId, "Maps B");
        long mappedVersion = version(mapped);

        Reply forgotten = delete("/api/v1/sources/" + sourceId + "/matching/observations/accessionnumber");

        assertThat(forgotten.status()).isEqualTo(204);
        assertThat(observations.of(sourceId)).isEmpty();
        assertThat(version(mapped)).isEqualTo(mappedVersion);
    }

    @Test
    void recordingAKeyThatNeedsVerificationGivesTheMappingConfigsANewVersionAndOneThatDoesNotKeepsThem() {
        long mapped = configMapping(sourceId, "Maps B");
        long version = version(mapped);

        boolean notNeeded =
                observations.record(observation("AccessionNumber", true, true, Origin.LEARNED, SEEN, "matched"));

        assertThat(notNeeded).isFalse();
        assertThat(version(mapped)).isEqualTo(version);

        boolean needed =
                observations.record(observation("ModalitiesInStudy", false, true, Origin.PROBED, SEEN, "ignored"));

        assertThat(needed).isTrue();
        assertThat(version(mapped)).isEqualTo(version + 1);

        boolean sameAgain = observations.record(
                observation("ModalitiesInStudy", false, null, Origin.LEARNED, LATER, "ignored again"));

        assertThat(sameAgain).isFalse();
        assertThat(version(mapped)).isEqualTo(version + 1);

        boolean nowMatched =
                observations.record(observation("ModalitiesInStudy", true, true, Origin.PROBED, LATER, "matched"));

        assertThat(nowMatched).isTrue();
        assertThat(version(mapped)).isEqualTo(version + 2);
    }

    @Test
    void aKeyWithTheQueryScopeCannotProbeForgetOrReadTheMatching() {
        observations.record(observation("ModalitiesInStudy", false, true, Origin.PROBED, SEEN, "ignored"));
        bindAWorkerQueue();
        String queryKey = apiKeys.create(new ApiKeyRequest("viewer", List.of("query")), Actor.system("test"))
                .key();
        String matching = "/api/v1/sources/" + sourceId + "/matching";

        assertThat(send("POST", matching + "/probe", queryKey, "{}").status()).isEqualTo(403);
        assertThat(send("DELETE", matching + "/observations/ModalitiesInStudy", queryKey, null)
                        .status())
                .isEqualTo(403);
        assertThat(send("GET", matching, queryKey, null).status()).isEqualTo(403);
        assertThat(send("POST", matching + "/probe", null, "{}").status()).isEqualTo(401);
        assertThat(rabbit.receive(workerQueue)).isNull();
        assertThat(observations.of(sourceId)).hasSize(1);
    }

    private void bindAWorkerQueue() {
        rabbitAdmin.declareQueue(new Queue(workerQueue, false, false, false));
        rabbitAdmin.declareBinding(new Binding(
                workerQueue,
                Binding.DestinationType.QUEUE,
                spanProperties.healthEchoExchange(),
                Topology.matchingProbeRoutingKey(sourceId),
                null));
    }

    private ProbeRequest receivedProbe() {
        Message message = rabbit.receive(workerQueue, 10_000);
        assertThat(message).isNotNull();
        return sealed.readMessage(message.getBody(), ProbeRequest.class);
    }

    /** A new config, mapping the source if one is given; its id. */
    private long configMapping(Long source, String name) {
        long configId = post("/api/v1/config/spanner", "{\"name\": \"" + name + "\"}")
                .body()
                .get("id")
                .asLong();
        if (source != null) {
            assertThat(post(
                                    "/api/v1/config/spanner/" + configId + "/sources",
                                    "{\"source_id\": " + source + ", \"priority\": 1}")
                            .status())
                    .isEqualTo(201);
        }
        return configId;
    }

    private long version(long configId) {
        return jdbc.sql("select version from spanner_config where id = ?")
                .param(configId)
                .query(Long.class)
                .single();
    }

    /** The audit events of the source, newest first. */
    private List<JsonNode> auditEvents() {
        return get("/api/v1/audit-events?entity_type=dicom_source&entity_id=" + sourceId + "&size=500")
                .body()
                .get("items")
                .valueStream()
                .toList();
    }
}
