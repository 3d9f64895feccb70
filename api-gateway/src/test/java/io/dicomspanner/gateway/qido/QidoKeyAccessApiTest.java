package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.gateway.apikey.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * What a query key may see and how fast it may ask, over real HTTP, RabbitMQ, Redis and PostgreSQL with a {@link
 * TestCoordinator}: configs outside its scope are 403, other keys' queries are 404, and beyond its rate it is 429,
 * each before anything is published. The gateway's one clock is a {@link MutableClock}: the per-second window moves
 * only when a test moves it.
 */
class QidoKeyAccessApiTest extends QidoApiTest {

    private static final MutableClock CLOCK = MutableClock.startingNow();

    @TestBean
    Clock clock;

    static Clock clock() {
        return CLOCK;
    }

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void secondConfig() {
        Reply research = post("/api/v1/config/spanner", jsonOf("""
                {'name': 'Research', 'timeout_seconds': 20, 'failure_strategy': 'partial_results'}"""));
        assertThat(research.body().get("id").asLong()).isEqualTo(2);
        // every test starts a new per-second window for its keys
        CLOCK.advance(Duration.ofSeconds(10));
    }

    // ---- configs -------------------------------------------------------------------------------------------------

    @Test
    void aKeyLimitedToConfig1Gets403OnConfig2AndNothingIsPublished() {
        String ward = createKey("ward", "'allowed_config_ids': [1]");
        double refusedBefore = refused("config");

        Reply spanner = search("/api/v1/spanner/qido/studies?PatientID=12345&spanner_config_id=2", null, ward);
        Reply spannerAsync =
                search("/api/v1/spanner/qido/studies?PatientID=12345&spanner_config_id=2&async=true", null, ward);
        Reply dicomweb = search("/dicomweb/2/studies?PatientID=12345", null, ward);
        Reply dicomwebByName = search("/dicomweb/Research/series?Modality=CT", null, ward);

        assertThat(spanner.status()).isEqualTo(403);
        assertThat(spanner.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(spanner.body()).isEqualTo(json.readTree(jsonOf("""
                {'title': 'Forbidden', 'status': 403,
                 'detail': 'API key 3 may not search spanner config 2', 'instance': '/api/v1/spanner/qido/studies'}""")));
        assertThat(spannerAsync.status()).isEqualTo(403);
        assertThat(spannerAsync.body()).isEqualTo(spanner.body());
        assertThat(dicomweb.status()).isEqualTo(403);
        assertThat(dicomweb.body()).isEqualTo(json.readTree(jsonOf("""
                {'title': 'Forbidden', 'status': 403,
                 'detail': 'API key 3 may not search spanner config 2', 'instance': '/dicomweb/2/studies'}""")));
        assertThat(dicomwebByName.status()).isEqualTo(403);
        assertThat(dicomwebByName.body().get("detail").asString())
                .isEqualTo("API key 3 may not search spanner config 2");
        assertThat(coordinator.waitingRequests()).isZero();
        assertThat(jdbc.sql("select count(*) from query_log").query(Long.class).single())
                .isZero();
        assertThat(refused("config") - refusedBefore).isEqualTo(4.0);

        Reply allowedAsync =
                search("/api/v1/spanner/qido/studies?PatientID=12345&spanner_config_id=1&async=true", null, ward);
        assertThat(allowedAsync.status()).isEqualTo(202);
        forgetAfterwards(allowedAsync.body().get("query_id").asString());
        SpanRequest published = coordinator.takeRequest();
        assertThat(published.query()).isEqualTo(studiesOfPatient12345(1));
        assertThat(published.caller()).isEqualTo("api-key:3@127.0.0.1");

        CompletableFuture<Reply> allowed = searchWith("/dicomweb/1/studies?PatientID=12345", ward);
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(request, answer(request, QueryState.COMPLETE, List.of(study()), List.of(), 0));
        assertThat(allowed.join().status()).isEqualTo(200);
        assertThat(allowed.join().raw().body()).isEqualTo(STUDY_JSON);
    }

    @Test
    void aKeyWithoutConfigsMaySearchEveryConfig() {
        Reply onConfig2 = search("/api/v1/spanner/qido/studies?PatientID=12345&spanner_config_id=2&async=true", null);

        assertThat(onConfig2.status()).isEqualTo(202);
        forgetAfterwards(onConfig2.body().get("query_id").asString());
        assertThat(coordinator.takeRequest().query()).isEqualTo(studiesOfPatient12345(2));
    }

    // ---- other keys' queries -------------------------------------------------------------------------------------

    @Test
    void anotherKeyReadingAQueryGets404ExactlyAsForAnUnknownIdAndAnAdminKeyReadsIt() {
        String nosy = createKey("nosy", null);
        Reply accepted = search("/api/v1/spanner/qido/studies?PatientID=12345&async=true", null);
        String queryId = accepted.body().get("query_id").asString();
        forgetAfterwards(queryId);
        coordinator.takeRequest();
        finished(queryId);
        String unknownId = UUID.randomUUID().toString();

        for (String what : List.of("status", "results")) {
            Reply others = search("/api/v1/spanner/queries/" + queryId + "/" + what, null, nosy);
            Reply unknown = search("/api/v1/spanner/queries/" + unknownId + "/" + what, null, nosy);

            assertThat(others.status()).as(what).isEqualTo(404);
            assertThat(others.raw().body())
                    .as(what)
                    .isEqualTo(unknown.raw().body().replace(unknownId, queryId));
            assertThat(others.raw().headers().map())
                    .as(what)
                    .containsOnlyKeys(unknown.raw().headers().map().keySet());
            assertThat(others.header("Content-Type")).isEqualTo(unknown.header("Content-Type"));
            assertThat(others.body()).isEqualTo(json.readTree(jsonOf("""
                    {'title': 'Not Found', 'status': 404,
                     'detail': 'No query with id %s', 'instance': '/api/v1/spanner/queries/%s/%s'}""".formatted(queryId, queryId, what))));
        }
        Reply ownStatus = search("/api/v1/spanner/queries/" + queryId + "/status", null);
        Reply adminStatus = search("/api/v1/spanner/queries/" + queryId + "/status", null, adminKey);
        Reply adminResults = search("/api/v1/spanner/queries/" + queryId + "/results", null, adminKey);

        assertThat(ownStatus.status()).isEqualTo(200);
        assertThat(ownStatus.body().get("state").asString()).isEqualTo("COMPLETE");
        assertThat(adminStatus.status()).isEqualTo(200);
        assertThat(adminStatus.body()).isEqualTo(ownStatus.body());
        assertThat(adminResults.status()).isEqualTo(200);
        assertThat(adminResults.raw().body()).isEqualTo(STUDY_JSON);
        assertThat(search("/api/v1/spanner/queries/" + queryId + "/results", null)
                        .raw()
                        .body())
                .isEqualTo(STUDY_JSON);
    }

    @Test
    void aSynchronousQuerysStatusIsTheAskersToo() {
        String nosy = createKey("nosy", null);
        CompletableFuture<Reply> reply = searchWith("/dicomweb/1/studies?PatientID=12345", queryKey);
        SpanRequest request = coordinator.takeRequest();
        forgetAfterwards(request.queryId());
        finished(request.queryId()); // as the coordinator writes it before it answers
        coordinator.answer(request, answer(request, QueryState.COMPLETE, List.of(study()), List.of(), 0));
        String statusUrl = reply.join().header("Location");

        assertThat(search(statusUrl, null).status()).isEqualTo(200);
        assertThat(search(statusUrl, null, adminKey).status()).isEqualTo(200);
        assertThat(search(statusUrl, null, nosy).status()).isEqualTo(404);
    }

    @Test
    void aQueryWhoseAskerIsNotKnownIsAnAdminKeysOnly() {
        String queryId = UUID.randomUUID().toString();
        forgetAfterwards(queryId);
        finished(queryId);

        assertThat(search("/api/v1/spanner/queries/" + queryId + "/status", null)
                        .status())
                .isEqualTo(404);
        assertThat(search("/api/v1/spanner/queries/" + queryId + "/status", null, adminKey)
                        .status())
                .isEqualTo(200);
    }

    // ---- rates ---------------------------------------------------------------------------------------------------

    @Test
    void theSearchBeyondTheKeysPerSecondRateIs429WithRetryAfterUntilTheRateAllowsOneMore() {
        String script = createKey("script", "'queries_per_second': 2");
        String path = "/api/v1/spanner/qido/studies?PatientID=12345&async=true";
        double refusedBefore = refused("rate");

        Reply first = search(path, null, script);
        CLOCK.advance(Duration.ofMillis(300));
        Reply second = search(path, null, script);
        Reply third = search(path, null, script);

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        forgetAfterwards(first.body().get("query_id").asString());
        forgetAfterwards(second.body().get("query_id").asString());
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.header("Retry-After")).isEqualTo("1");
        assertThat(third.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(third.body()).isEqualTo(json.readTree(jsonOf("""
                {'title': 'Too Many Requests', 'status': 429,
                 'detail': 'API key 3 may start 2 searches per second', 'instance': '/api/v1/spanner/qido/studies'}""")));
        assertThat(coordinator.waitingRequests()).isEqualTo(2);
        assertThat(refused("rate") - refusedBefore).isEqualTo(1.0);
        assertThat(search("/dicomweb/1/studies?PatientID=12345", null, script).status())
                .as("synchronous searches count too")
                .isEqualTo(429);
        assertThat(search(path, null).status()).as("another key has its own").isEqualTo(202);
        coordinator.takeRequest();
        coordinator.takeRequest();
        coordinator.takeRequest();

        // 2 per second: the bucket held 0.6 of a search at 300 ms and gains one more in the next 200 ms
        CLOCK.advance(Duration.ofMillis(199));
        assertThat(search(path, null, script).status()).isEqualTo(429);
        CLOCK.advance(Duration.ofMillis(1));
        Reply afterTheWindow = search(path, null, script);
        assertThat(afterTheWindow.status()).isEqualTo(202);
        forgetAfterwards(afterTheWindow.body().get("query_id").asString());
        assertThat(coordinator.takeRequest().queryId())
                .isEqualTo(afterTheWindow.body().get("query_id").asString());
    }

    @Test
    void theSynchronousSearchBeyondTheKeysInFlightLimitIs429UntilOneIsAnswered() {
        String script = createKey("script", "'queries_in_flight': 1");
        String path = "/dicomweb/1/studies?PatientID=12345";

        CompletableFuture<Reply> held = searchWith(path, script);
        SpanRequest heldRequest = coordinator.takeRequest(); // taken, not answered yet
        forgetAfterwards(heldRequest.queryId());
        Reply second = search(path, null, script);

        assertThat(second.status()).isEqualTo(429);
        assertThat(second.header("Retry-After")).isEqualTo("1");
        assertThat(second.body()).isEqualTo(json.readTree(jsonOf("""
                {'title': 'Too Many Requests', 'status': 429,
                 'detail': 'API key 3 has 1 search in flight, its limit; send the next when one is answered',
                 'instance': '/dicomweb/1/studies'}""")));
        assertThat(coordinator.waitingRequests()).isZero();
        Reply async = search("/api/v1/spanner/qido/studies?PatientID=12345&async=true", null, script);
        assertThat(async.status()).as("an async search holds no slot").isEqualTo(202);
        forgetAfterwards(async.body().get("query_id").asString());
        coordinator.takeRequest();

        coordinator.answer(heldRequest, answer(heldRequest, QueryState.COMPLETE, List.of(study()), List.of(), 0));
        assertThat(held.join().status()).isEqualTo(200);

        CompletableFuture<Reply> next = searchWith(path, script);
        SpanRequest nextRequest = coordinator.takeRequest();
        forgetAfterwards(nextRequest.queryId());
        coordinator.answer(nextRequest, answer(nextRequest, QueryState.COMPLETE, List.of(), List.of(), 0));
        assertThat(next.join().status()).isEqualTo(200);
        assertThat(next.join().raw().body()).isEqualTo("[]");
    }

    @Test
    void aSearchTheBrokerRefusedGivesItsInFlightSlotBack() {
        String script = createKey("script", "'queries_in_flight': 1");
        coordinator.stopListening();

        Reply refused = search("/dicomweb/1/studies?PatientID=12345", null, script);
        Reply again = search("/dicomweb/1/studies?PatientID=12345", null, script);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(again.status())
                .as("not 429: the first holds no slot any more")
                .isEqualTo(503);
    }

    @Test
    void aLimitChangedThroughTheAdminApiAppliesToTheNextSearch() {
        String path = "/api/v1/spanner/qido/studies?PatientID=12345&spanner_config_id=2&async=true";
        Reply before = search(path, null);
        assertThat(before.status()).isEqualTo(202);
        forgetAfterwards(before.body().get("query_id").asString());

        Reply limited = put("/api/v1/api-keys/" + queryKeyId + "/access", jsonOf("""
                {'allowed_config_ids': [1], 'queries_per_second': 1}"""));
        assertThat(limited.status()).isEqualTo(200);

        assertThat(search(path, null).status()).isEqualTo(403);
        Reply onConfig1 = search(path.replace("spanner_config_id=2", "spanner_config_id=1"), null);
        assertThat(onConfig1.status()).isEqualTo(202);
        forgetAfterwards(onConfig1.body().get("query_id").asString());
        assertThat(search(path.replace("spanner_config_id=2", "spanner_config_id=1"), null)
                        .status())
                .isEqualTo(429);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private String createKey(String name, String access) {
        Reply created = post(
                "/api/v1/api-keys",
                jsonOf("{'name': '" + name + "', 'scopes': ['query']" + (access == null ? "" : ", " + access) + "}"));
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("key").asString();
    }

    private CompletableFuture<Reply> searchWith(String path, String key) {
        return CompletableFuture.supplyAsync(() -> search(path, null, key));
    }

    private double refused(String reason) {
        return meters.counter("spanner.gateway.searches.refused", "reason", reason)
                .count();
    }

    private void forgetAfterwards(String queryId) {
        redisKeys.add(RedisKeys.queryStatus(queryId));
        redisKeys.add(RedisKeys.queryResult(queryId));
        redisKeys.add(RedisKeys.queryAsker(queryId));
    }

    /** Leaves a query's final status and results as a coordinator does. */
    private void finished(String queryId) {
        QueryStatus done = QueryStatus.of(queryId, 1, QueryLevel.STUDY)
                .configVersion(1)
                .state(QueryState.COMPLETE)
                .createdAt(1_700_000_000_000L)
                .completedAt(1_700_000_000_120L)
                .matches(1, 1, 0)
                .build();
        redis.opsForValue()
                .set(RedisKeys.queryStatus(queryId), new String(messageJson.write(done), StandardCharsets.UTF_8));
        redis.opsForValue().set(RedisKeys.queryResult(queryId), sealed.sealEntryText(STUDY_JSON));
    }
}
