package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.phi.PhiAttribute;
import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A synchronous search whose complete answer a coordinator has cached is answered by the gateway itself: nothing is
 * published, the body is what a coordinator's answer of the same records gives, the status says {@code from_cache},
 * the query log has its row and the coordinators' meters count it. Whatever the gateway cannot use exactly as a
 * coordinator would goes to the coordinator.
 */
class QidoCacheHitApiTest extends QidoApiTest {

    /** The tests' config (id 1, version 1, cache on by default) and the study search the tests ask of it. */
    private static final String SEARCH = "/api/v1/spanner/qido/studies?PatientID=12345";

    private static final SpanQuery QUERY = studiesOfPatient12345(1);

    private static final List<QueryStatus.SourceStatus> SOURCES = List.of(
            new QueryStatus.SourceStatus(1, "PACS-A", "PACSA", SourceOutcome.SUCCESS, 1, 0, 80L, null),
            new QueryStatus.SourceStatus(2, "PACS-B", "PACSB", SourceOutcome.SUCCESS, 1, 0, 95L, null));

    @Autowired
    MeterRegistry meters;

    @Autowired
    PhiTokenizer tokenizer;

    /** Puts an entry where the coordinators keep the answer of {@code query} under config 1 version {@code version}. */
    private void cache(SpanQuery query, long version, String entry) {
        String key = RedisKeys.resultCache(1, version, query.answerHash(""));
        redisKeys.add(key);
        redis.opsForValue().set(key, entry);
    }

    private String entry(List<byte[]> records, int maxResults) {
        return sealed.sealEntryText(entryJson(records, maxResults));
    }

    /** The entry before it is sealed. */
    private String entryJson(List<byte[]> records, int maxResults) {
        SharedAnswer shared =
                new SharedAnswer(QueryState.COMPLETE, records, List.of(), 2, records.size(), 0, SOURCES, maxResults);
        return new String(messageJson.write(shared), StandardCharsets.UTF_8);
    }

    private static byte[] study(String uid, String date) {
        Attributes study = new Attributes();
        study.setString(Tag.STUDY_DATE, VR.DA, date);
        study.setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid);
        return DicomWriter.encode(study, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static String studyJson(String uid, String date) {
        return "{\"00080020\":{\"vr\":\"DA\",\"Value\":[\"" + date + "\"]},"
                + "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"" + uid + "\"]}}";
    }

    private double counted(String name, Map<String, String> tags) {
        var search = meters.find(name);
        tags.forEach(search::tag);
        var counter = search.counter();
        return counter == null ? 0 : counter.count();
    }

    private long timed() {
        var timer = meters.find("spanner.query.duration")
                .tags("entry_point", "qido", "level", "study")
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private Optional<Map<String, Object>> queryLogRow(String queryId) {
        return jdbc
                .sql("select entry_point, caller_api_key_id, tokenized_filters::text as filters, sources_asked,"
                        + " matches_before_dedup, matches_after_dedup, status, error from query_log"
                        + " where id = ?::uuid")
                .param(queryId)
                .query()
                .listOfRows()
                .stream()
                .findFirst();
    }

    /** The row is written off the request thread: waits for it, at most 10 s. */
    private Map<String, Object> awaitQueryLogRow(String queryId) throws InterruptedException {
        long giveUp = System.nanoTime() + 10_000_000_000L;
        Optional<Map<String, Object>> row = queryLogRow(queryId);
        while (row.isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(20);
            row = queryLogRow(queryId);
        }
        assertThat(row).as("query_log row of %s", queryId).isPresent();
        return row.get();
    }

    @Test
    void aCachedAnswerIsGivenByTheGatewayWithItsStatusQueryLogRowAndMeters() throws Exception {
        cache(QUERY, 1, entry(List.of(study()), 10_000));
        double hitsBefore = counted("spanner.cache.requests", Map.of("result", "hit"));
        double completeBefore = counted("spanner.queries", Map.of("entry_point", "qido", "state", "complete"));
        long timedBefore = timed();

        Reply reply = search(SEARCH, null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo(DICOM_JSON);
        assertThat(reply.raw().body()).isEqualTo(STUDY_JSON);
        assertThat(reply.raw().headers().allValues("Warning")).isEmpty();
        String queryId = reply.header("X-Query-Id");
        assertThat(reply.header("Location")).isEqualTo("/api/v1/spanner/queries/" + queryId + "/status");
        redisKeys.add(RedisKeys.queryStatus(queryId));
        assertThat(coordinator.waitingRequests()).as("span requests published").isZero();

        Reply status = search("/api/v1/spanner/queries/" + queryId + "/status", null);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().get("query_id").asString()).isEqualTo(queryId);
        assertThat(status.body().get("state").asString()).isEqualTo("COMPLETE");
        assertThat(status.body().get("from_cache").asBoolean()).isTrue();
        assertThat(status.body().get("coalesced").asBoolean()).isFalse();
        assertThat(status.body().get("config_id").asLong()).isEqualTo(1);
        assertThat(status.body().get("config_version").asLong()).isEqualTo(1);
        assertThat(status.body().get("level").asString()).isEqualTo("STUDY");
        assertThat(status.body().get("matches_before_deduplication").asInt()).isEqualTo(2);
        assertThat(status.body().get("matches_after_deduplication").asInt()).isEqualTo(1);
        assertThat(status.body().get("sources").get(1).get("ae_title").asString())
                .isEqualTo("PACSB");
        assertThat(status.body().get("sources").get(1).get("latency_millis").asLong())
                .isEqualTo(95);
        assertThat(status.body().get("completed_epoch_millis").asLong())
                .isGreaterThanOrEqualTo(
                        status.body().get("created_epoch_millis").asLong());

        Map<String, Object> row = awaitQueryLogRow(queryId);
        assertThat(row.get("entry_point")).isEqualTo("qido");
        assertThat(row.get("caller_api_key_id")).isEqualTo(queryKeyId);
        assertThat(json.readTree((String) row.get("filters")).get("PatientID").asString())
                .isEqualTo(tokenizer.token(PhiAttribute.PATIENT_ID, "12345"))
                .isNotEqualTo("12345");
        assertThat(row.get("sources_asked")).isEqualTo(0);
        assertThat(row.get("matches_before_dedup")).isEqualTo(2);
        assertThat(row.get("matches_after_dedup")).isEqualTo(1);
        assertThat(row.get("status")).isEqualTo("completed");
        assertThat(row.get("error")).isNull();

        assertThat(counted("spanner.cache.requests", Map.of("result", "hit")) - hitsBefore)
                .isEqualTo(1);
        assertThat(counted("spanner.cache.requests", Map.of("result", "miss")))
                .as("misses are the coordinators' to count")
                .isZero();
        assertThat(counted("spanner.queries", Map.of("entry_point", "qido", "state", "complete")) - completeBefore)
                .isEqualTo(1);
        assertThat(timed() - timedBefore).isEqualTo(1);
    }

    @Test
    void aCachedAnswerWarnsOfASourceThatCouldNotApplyAKeyAsTheFirstAnswerDid() {
        List<QueryStatus.SourceStatus> sources = List.of(
                SOURCES.get(0),
                new QueryStatus.SourceStatus(
                        3, "PACS-X", "PACSX", SourceOutcome.SUCCESS, 1, 0, 95L, null, List.of("ModalitiesInStudy")));
        SharedAnswer shared =
                new SharedAnswer(QueryState.COMPLETE, List.of(study()), List.of(), 2, 1, 0, sources, 10_000);
        cache(QUERY, 1, sealed.sealEntry(shared));

        Reply reply = search(SEARCH, null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.raw().body()).isEqualTo(STUDY_JSON);
        assertThat(coordinator.waitingRequests()).as("span requests published").isZero();
        assertThat(reply.raw().headers().allValues("Warning"))
                .containsExactly("299 localhost:" + port + ": \"Source PACS-X (AE PACSX) could not apply the matching"
                        + " keys ModalitiesInStudy: its results for them are not verified\"");
        String queryId = reply.header("X-Query-Id");
        redisKeys.add(RedisKeys.queryStatus(queryId));
        Reply status = search("/api/v1/spanner/queries/" + queryId + "/status", null);
        assertThat(status.body().get("from_cache").asBoolean()).isTrue();
        assertThat(status.body().get("sources").get(1).get("unverified_keys").toString())
                .isEqualTo("[\"ModalitiesInStudy\"]");
    }

    @Test
    void anEntryFromBeforeUnverifiedKeysWarnsOfNone() {
        String entry = entryJson(List.of(study()), 10_000).replace(",\"unverifiedKeys\":[]", "");
        assertThat(entry).doesNotContain("unverifiedKeys");
        cache(QUERY, 1, sealed.sealEntryText(entry));

        Reply reply = search(SEARCH, null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.raw().headers().allValues("Warning")).isEmpty();
        String queryId = reply.header("X-Query-Id");
        redisKeys.add(RedisKeys.queryStatus(queryId));
        Reply status = search("/api/v1/spanner/queries/" + queryId + "/status", null);
        assertThat(status.body().get("sources").get(0).get("unverified_keys").toString())
                .isEqualTo("[]");
    }

    @Test
    void pagesAreCutFromTheCachedAnswerAsTheCoordinatorCutsThem() {
        List<byte[]> three = List.of(
                study("1.2.840.99.1", "20200101"),
                study("1.2.840.99.2", "20200102"),
                study("1.2.840.99.3", "20200103"));
        // max-results 2 of the coordinator that made the entry: no page holds more, whatever the limit
        cache(QUERY, 1, entry(three, 2));
        String agent = "299 localhost:" + port + ": ";

        Reply first = search(SEARCH + "&limit=5", null);
        Reply second = search(SEARCH + "&limit=1&offset=1", null);
        Reply beyond = search(SEARCH + "&offset=3", null);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.raw().body())
                .isEqualTo("[" + studyJson("1.2.840.99.1", "20200101") + "," + studyJson("1.2.840.99.2", "20200102")
                        + "]");
        assertThat(first.raw().headers().allValues("Warning"))
                .containsExactly(agent + "\"There are 1 additional results that can be requested\"");
        assertThat(second.raw().body()).isEqualTo("[" + studyJson("1.2.840.99.2", "20200102") + "]");
        assertThat(second.raw().headers().allValues("Warning"))
                .containsExactly(agent + "\"There are 1 additional results that can be requested\"");
        assertThat(beyond.status()).isEqualTo(200);
        assertThat(beyond.raw().body()).isEqualTo("[]");
        assertThat(beyond.raw().headers().allValues("Warning")).isEmpty();
        for (Reply r : List.of(first, second, beyond)) {
            redisKeys.add(RedisKeys.queryStatus(r.header("X-Query-Id")));
        }
        assertThat(coordinator.waitingRequests()).isZero();
    }

    /** Asks {@code path} in the background and returns the span request it published (the cache was not used). */
    private SpanRequest publishedBy(String path) {
        CompletableFuture<Reply> reply = searchInBackground(path, null);
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(request, answer(request, QueryState.COMPLETE, List.of(), List.of(), 0));
        assertThat(reply.join().raw().body()).isEqualTo("[]");
        return request;
    }

    @Test
    void anEntryReadFromRedisIsKeptInTheGatewayUntilItExpiresThere() throws InterruptedException {
        String key = RedisKeys.resultCache(1, 1, QUERY.answerHash(""));
        redisKeys.add(key);
        redis.opsForValue()
                .set(key, entry(List.of(study("1.2.840.99.1", "20200101")), 10_000), Duration.ofMillis(1500));
        String first = "[" + studyJson("1.2.840.99.1", "20200101") + "]";

        Reply read = search(SEARCH, null);
        // Redis now holds another answer under the same key, for the rest of the entry's time
        Long remaining = redis.getExpire(key, TimeUnit.MILLISECONDS);
        assertThat(remaining).isPositive();
        redis.opsForValue()
                .set(key, entry(List.of(study("1.2.840.99.2", "20200102")), 10_000), Duration.ofMillis(remaining));
        Reply kept = search(SEARCH, null);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.raw().body()).isEqualTo(first);
        assertThat(kept.status()).isEqualTo(200);
        assertThat(kept.raw().body()).as("answered from the gateway's memory").isEqualTo(first);
        assertThat(kept.header("X-Query-Id")).isNotEqualTo(read.header("X-Query-Id"));
        Reply status = search("/api/v1/spanner/queries/" + kept.header("X-Query-Id") + "/status", null);
        assertThat(status.body().get("from_cache").asBoolean()).isTrue();
        for (Reply r : List.of(read, kept)) {
            redisKeys.add(RedisKeys.queryStatus(r.header("X-Query-Id")));
        }
        assertThat(coordinator.waitingRequests()).isZero();

        long giveUp = System.nanoTime() + 10_000_000_000L;
        while (Boolean.TRUE.equals(redis.hasKey(key)) && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertThat(redis.hasKey(key)).as("expired in Redis").isFalse();
        assertThat(publishedBy(SEARCH).query())
                .as("gone from the gateway's memory when it is gone from Redis")
                .isEqualTo(QUERY);
    }

    @Test
    void anEntryWithoutExpiryIsReadFromRedisForEverySearch() {
        cache(QUERY, 1, entry(List.of(study("1.2.840.99.1", "20200101")), 10_000));
        Reply first = search(SEARCH, null);
        cache(QUERY, 1, entry(List.of(study("1.2.840.99.2", "20200102")), 10_000));

        Reply second = search(SEARCH, null);

        assertThat(first.raw().body()).isEqualTo("[" + studyJson("1.2.840.99.1", "20200101") + "]");
        assertThat(second.raw().body()).isEqualTo("[" + studyJson("1.2.840.99.2", "20200102") + "]");
        for (Reply r : List.of(first, second)) {
            redisKeys.add(RedisKeys.queryStatus(r.header("X-Query-Id")));
        }
    }

    @Test
    void anEntryThatDoesNotSayHowItIsPagedGoesToTheCoordinator() {
        cache(QUERY, 1, entry(List.of(study()), 0));

        assertThat(publishedBy(SEARCH).query()).isEqualTo(QUERY);
    }

    @Test
    void anUnreadableEntryGoesToTheCoordinator() {
        cache(QUERY, 1, sealed.sealEntryText("{\"state\":\"COMPLETE\",\"records\":\"not base64 records\""));

        assertThat(publishedBy(SEARCH).query()).isEqualTo(QUERY);
    }

    @Test
    void anEntryChangedByOneByteIsNotServedButGoesToTheCoordinatorAndIsCounted() {
        byte[] changed = Base64.getDecoder().decode(entry(List.of(study()), 10_000));
        changed[changed.length - 20] ^= 0x01;
        cache(QUERY, 1, Base64.getEncoder().encodeToString(changed));
        double before = counted("spanner.sealed.value.rejected", Map.of("store", "redis", "reason", "tampered"));

        assertThat(publishedBy(SEARCH).query()).isEqualTo(QUERY);
        assertThat(counted("spanner.sealed.value.rejected", Map.of("store", "redis", "reason", "tampered")) - before)
                .isEqualTo(1);
    }

    @Test
    void anEntryInClearTextIsNotServed() {
        cache(QUERY, 1, entryJson(List.of(study()), 10_000));
        double before = counted("spanner.sealed.value.rejected", Map.of("store", "redis", "reason", "malformed"));

        assertThat(publishedBy(SEARCH).query()).isEqualTo(QUERY);
        assertThat(counted("spanner.sealed.value.rejected", Map.of("store", "redis", "reason", "malformed")) - before)
                .isEqualTo(1);
    }

    @Test
    void anEntryOfAnEarlierConfigVersionIsNotUsed() {
        cache(QUERY, 1, entry(List.of(study()), 10_000));
        Reply edited = put("/api/v1/config/spanner/1", jsonOf("""
                {'name': 'Enterprise Production', 'timeout_seconds': 25, 'failure_strategy': 'partial_results'}"""));
        assertThat(edited.status()).as(edited.raw().body()).isEqualTo(200);
        assertThat(edited.body().get("version").asLong()).isEqualTo(2);

        assertThat(publishedBy(SEARCH).query()).isEqualTo(QUERY);
    }

    @Test
    void aConfigWithoutCacheIsNeverAnsweredFromIt() {
        Reply config = post("/api/v1/config/spanner", jsonOf("{'name': 'Uncached', 'cache_ttl_seconds': 0}"));
        long uncached = config.body().get("id").asLong();
        SpanQuery query = studiesOfPatient12345(uncached);
        String key = RedisKeys.resultCache(uncached, 1, query.answerHash(""));
        redisKeys.add(key);
        redis.opsForValue().set(key, entry(List.of(study()), 10_000));

        assertThat(publishedBy(SEARCH + "&spanner_config_id=" + uncached).query())
                .isEqualTo(query);
    }

    @Test
    void anAsyncSearchGoesToTheCoordinatorWhichKeepsItsResults() {
        cache(QUERY, 1, entry(List.of(study()), 10_000));

        Reply accepted = search(SEARCH + "&async=true", null);

        assertThat(accepted.status()).isEqualTo(202);
        String queryId = accepted.body().get("query_id").asString();
        redisKeys.add(RedisKeys.queryStatus(queryId));
        SpanRequest request = coordinator.takeRequest();
        assertThat(request.queryId()).isEqualTo(queryId);
        assertThat(request.replyTo()).isNull();
    }
}
