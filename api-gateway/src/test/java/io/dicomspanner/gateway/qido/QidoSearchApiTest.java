package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanAnswer.SourceFailure;
import io.dicomspanner.common.messaging.SpanAnswer.SourceNote;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * QIDO-RS searches over real HTTP, RabbitMQ, Redis and PostgreSQL, with a {@link TestCoordinator} in place of the
 * spanner coordinator.
 */
// Configs are kept for an hour here: every test's admin changes (the database is emptied and refilled through the
// admin API before each) must reach the searches through the gateway's invalidation, not through the TTL.
@TestPropertySource(properties = "spanner.qido.config-cache-ttl=1h")
class QidoSearchApiTest extends QidoApiTest {

    // ---- the README calls ----------------------------------------------------------------------------------------

    @Test
    void readmeAsyncStudySearchAnswers202AndItsStatusAndResultsFollowTheCoordinator() {
        Reply accepted = search("/api/v1/spanner/qido/studies?PatientID=12345&spanner_config_id=1&async=true", null);

        assertThat(accepted.status()).isEqualTo(202);
        String queryId = accepted.body().get("query_id").asString();
        String statusUrl = "/api/v1/spanner/queries/" + queryId + "/status";
        redisKeys.add(RedisKeys.queryStatus(queryId));
        redisKeys.add(RedisKeys.queryResult(queryId));
        assertThat(accepted.body().get("status_url").asString()).isEqualTo(statusUrl);
        assertThat(accepted.header("Location")).isEqualTo(statusUrl);
        assertThat(accepted.header("X-Query-Id")).isEqualTo(queryId);

        SpanRequest request = coordinator.takeRequest();
        assertThat(request.queryId()).isEqualTo(queryId);
        assertThat(request.replyTo()).isNull();
        assertThat(request.entryPoint()).isEqualTo(EntryPoint.QIDO);
        assertThat(request.caller()).isEqualTo("api-key:" + queryKeyId + "@127.0.0.1");
        assertThat(request.streamMatches()).isFalse();
        assertThat(request.query()).isEqualTo(studiesOfPatient12345(1));

        Reply running = search(statusUrl, null);
        assertThat(running.status()).isEqualTo(200);
        assertThat(running.body().get("query_id").asString()).isEqualTo(queryId);
        assertThat(running.body().get("state").asString()).isEqualTo("RUNNING");
        assertThat(running.body().get("config_id").asLong()).isEqualTo(1);
        assertThat(running.body().get("config_version").asLong()).isEqualTo(1);
        assertThat(running.body().get("level").asString()).isEqualTo("STUDY");
        Reply notYet = search("/api/v1/spanner/queries/" + queryId + "/results", null);
        assertThat(notYet.status()).isEqualTo(202);
        assertThat(notYet.body().get("state").asString()).isEqualTo("running");

        finished(
                queryId,
                QueryState.PARTIAL,
                new QueryStatus.SourceStatus(
                        2, "PACS-B", "PACSB", SourceOutcome.TIMEOUT, 0, 0, null, "no answer within 20 s"));

        Reply status = search(statusUrl, null);
        assertThat(status.body().get("state").asString()).isEqualTo("PARTIAL");
        assertThat(status.body().get("matches_before_deduplication").asInt()).isEqualTo(2);
        assertThat(status.body().get("matches_after_deduplication").asInt()).isEqualTo(1);
        assertThat(status.body().get("sources").get(1).get("ae_title").asString())
                .isEqualTo("PACSB");
        assertThat(status.body().get("sources").get(1).get("state").asString()).isEqualTo("TIMEOUT");
        assertThat(status.body().get("sources").get(1).get("error").asString()).isEqualTo("no answer within 20 s");
        assertThat(status.body().get("sources").get(0).get("latency_millis").asLong())
                .isEqualTo(80);

        Reply results = search("/api/v1/spanner/queries/" + queryId + "/results", null);
        assertThat(results.status()).isEqualTo(200);
        assertThat(results.header("Content-Type")).isEqualTo(DICOM_JSON);
        assertThat(results.raw().body()).isEqualTo(STUDY_JSON);
        assertThat(results.raw().headers().allValues("Warning"))
                .containsExactly(
                        "299 localhost:" + port + ": \"Source PACS-B (AE PACSB) timeout: no answer within 20 s\"");
    }

    /**
     * Leaves the final status and the results of async query {@code queryId} as a coordinator does: source 1 PACS-A
     * answered 1 match in 80 ms, then {@code second}; 2 matches, 1 after de-duplication.
     */
    void finished(String queryId, QueryState state, QueryStatus.SourceStatus second) {
        QueryStatus done = QueryStatus.of(queryId, 1, QueryLevel.STUDY)
                .configVersion(1)
                .state(state)
                .createdAt(1_700_000_000_000L)
                .completedAt(1_700_000_000_120L)
                .matches(2, 1, 0)
                .sources(List.of(
                        new QueryStatus.SourceStatus(1, "PACS-A", "PACSA", SourceOutcome.SUCCESS, 1, 0, 80L, null),
                        second))
                .build();
        redis.opsForValue()
                .set(RedisKeys.queryStatus(queryId), new String(messageJson.write(done), StandardCharsets.UTF_8));
        redis.opsForValue().set(RedisKeys.queryResult(queryId), sealed.sealEntryText(STUDY_JSON));
    }

    @Test
    void readmeSeriesAndInstanceSearchesUseTheDefaultConfig() {
        CompletableFuture<Reply> seriesReply =
                searchInBackground("/api/v1/spanner/qido/series?StudyInstanceUID=1.2.840.99.1", null);
        SpanRequest seriesRequest = coordinator.takeRequest();
        coordinator.answer(seriesRequest, answer(seriesRequest, QueryState.COMPLETE, List.of(series()), List.of(), 0));
        Reply series = seriesReply.join();

        assertThat(seriesRequest.query().resource()).isEqualTo(QidoResource.ALL_SERIES);
        assertThat(seriesRequest.query().keys()).containsExactly(new QueryKey("0020000D", "1.2.840.99.1"));
        assertThat(seriesRequest.replyTo()).startsWith("spanner.answers.");
        assertThat(series.status()).isEqualTo(200);
        assertThat(series.header("Content-Type")).isEqualTo(DICOM_JSON);
        assertThat(series.raw().headers().allValues("Warning")).isEmpty();
        assertThat(series.header("X-Query-Id")).isEqualTo(seriesRequest.queryId());
        assertThat(series.header("Location"))
                .isEqualTo("/api/v1/spanner/queries/" + seriesRequest.queryId() + "/status");
        assertThat(series.raw().body())
                .isEqualTo("[{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
                        + "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.99.1\"]},"
                        + "\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.99.1.1\"]}}]");

        CompletableFuture<Reply> instancesReply = searchInBackground(
                "/api/v1/spanner/qido/instances?SeriesInstanceUID=1.2.840.99.1.1", "application/json");
        SpanRequest instancesRequest = coordinator.takeRequest();
        coordinator.answer(instancesRequest, answer(instancesRequest, QueryState.COMPLETE, List.of(), List.of(), 0));
        Reply instances = instancesReply.join();

        assertThat(instancesRequest.query().level()).isEqualTo(QueryLevel.IMAGE);
        assertThat(instancesRequest.query().keys()).containsExactly(new QueryKey("0020000E", "1.2.840.99.1.1"));
        assertThat(instances.status()).isEqualTo(200);
        assertThat(instances.header("Content-Type")).isEqualTo(DICOM_JSON);
        assertThat(instances.raw().body()).isEqualTo("[]");
    }

    // ---- answers -------------------------------------------------------------------------------------------------

    @Test
    void partialAnswerCarriesOneWarningPerFailedSourceAndForRemainingResultsAndFuzzyMatching() {
        CompletableFuture<Reply> reply = searchInBackground(
                "/dicomweb/1/studies?PatientID=12345&limit=1&fuzzymatching=true", "application/dicom+json");
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(
                request,
                answer(
                        request,
                        QueryState.PARTIAL,
                        List.of(study()),
                        List.of(
                                new SourceFailure(2, "PACS-B", "PACSB", SourceOutcome.TIMEOUT, "no answer within 20 s"),
                                new SourceFailure(
                                        3,
                                        "PACS-C",
                                        "PACSC",
                                        SourceOutcome.REFUSED,
                                        "association rejected \"permanent\"")),
                        3));
        Reply partial = reply.join();

        assertThat(request.query().limit()).isEqualTo(1);
        assertThat(request.query().fuzzyMatching()).isTrue();
        assertThat(partial.status()).isEqualTo(200);
        assertThat(partial.header("Content-Type")).isEqualTo(DICOM_JSON);
        assertThat(partial.raw().body()).isEqualTo(STUDY_JSON);
        String agent = "299 localhost:" + port + ": ";
        assertThat(partial.raw().headers().allValues("Warning"))
                .containsExactly(
                        agent + "\"Source PACS-B (AE PACSB) timeout: no answer within 20 s\"",
                        agent + "\"Source PACS-C (AE PACSC) refused: association rejected 'permanent'\"",
                        agent + "\"There are 3 additional results that can be requested\"",
                        agent + "\"The fuzzymatching parameter is not supported. Only literal matching has been"
                                + " performed.\"");
    }

    @Test
    void aSourceThatCouldNotApplyAMatchingKeyAddsOneWarningNamingItAndTheKeys() {
        CompletableFuture<Reply> reply = searchInBackground("/dicomweb/1/studies?PatientID=12345&limit=1", null);
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(
                request,
                new SpanAnswer(
                        request.queryId(),
                        List.of(study()),
                        true,
                        QueryState.COMPLETE,
                        List.of(),
                        2,
                        1,
                        false,
                        List.of(
                                new SourceNote(3, "PACS-X", "PACSX", List.of("ModalitiesInStudy")),
                                new SourceNote(
                                        4, "PACS-Y", "PACSY", List.of("ModalitiesInStudy", "StudyDescription"), 200))));
        Reply answered = reply.join();

        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.raw().body()).isEqualTo(STUDY_JSON);
        String agent = "299 localhost:" + port + ": ";
        assertThat(answered.raw().headers().allValues("Warning"))
                .containsExactly(
                        agent + "\"Source PACS-X (AE PACSX) could not apply the matching keys ModalitiesInStudy:"
                                + " its results for them are not verified\"",
                        agent + "\"Source PACS-Y (AE PACSY) could not apply the matching keys ModalitiesInStudy,"
                                + " StudyDescription: its results for them are not verified (verification stopped at"
                                + " its bound of 200 sub-queries)\"",
                        agent + "\"There are 1 additional results that can be requested\"");
    }

    @Test
    void theStatusListsEachSourcesUnverifiedKeysAndTheStoredResultsWarnOfThem() {
        Reply accepted = search("/api/v1/spanner/qido/studies?PatientID=12345&async=true", null);
        String queryId = accepted.body().get("query_id").asString();
        redisKeys.add(RedisKeys.queryStatus(queryId));
        redisKeys.add(RedisKeys.queryResult(queryId));
        coordinator.takeRequest();
        finished(
                queryId,
                QueryState.COMPLETE,
                new QueryStatus.SourceStatus(
                        2, "PACS-X", "PACSX", SourceOutcome.SUCCESS, 1, 0, 95L, null, List.of("ModalitiesInStudy")));

        Reply status = search("/api/v1/spanner/queries/" + queryId + "/status", null);
        Reply results = search("/api/v1/spanner/queries/" + queryId + "/results", null);

        assertThat(status.body().get("sources").toString())
                .isEqualTo("[{\"source_id\":1,\"name\":\"PACS-A\",\"ae_title\":\"PACSA\",\"state\":\"SUCCESS\","
                        + "\"matches\":1,\"dropped_by_recheck\":0,\"latency_millis\":80,\"error\":null,"
                        + "\"unverified_keys\":[],\"verification_bound\":0},"
                        + "{\"source_id\":2,\"name\":\"PACS-X\",\"ae_title\":\"PACSX\",\"state\":\"SUCCESS\","
                        + "\"matches\":1,\"dropped_by_recheck\":0,\"latency_millis\":95,\"error\":null,"
                        + "\"unverified_keys\":[\"ModalitiesInStudy\"],\"verification_bound\":0}]");
        assertThat(results.status()).isEqualTo(200);
        assertThat(results.raw().body()).isEqualTo(STUDY_JSON);
        assertThat(results.raw().headers().allValues("Warning"))
                .containsExactly("299 localhost:" + port + ": \"Source PACS-X (AE PACSX) could not apply the matching"
                        + " keys ModalitiesInStudy: its results for them are not verified\"");
    }

    @Test
    void failFastFailureIs502NamingTheSource() {
        CompletableFuture<Reply> reply = searchInBackground("/api/v1/spanner/qido/studies?PatientID=1", null);
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(
                request,
                answer(
                        request,
                        QueryState.FAILED,
                        List.of(),
                        List.of(new SourceFailure(
                                3, "PACS-C", "PACSC", SourceOutcome.FAILED_STATUS, "C-FIND status A700")),
                        0));
        Reply failed = reply.join();

        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(failed.header("X-Query-Id")).isEqualTo(request.queryId());
        assertThat(failed.body().get("detail").asString())
                .isEqualTo("A source failed and the config's failure strategy ends the query:"
                        + " Source PACS-C (AE PACSC) failed_status: C-FIND status A700");
    }

    @Test
    void failFastDeadlineIs504NamingTheSource() {
        CompletableFuture<Reply> reply = searchInBackground("/api/v1/spanner/qido/studies?PatientID=1", null);
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(
                request,
                answer(
                        request,
                        QueryState.TIMED_OUT,
                        List.of(),
                        List.of(new SourceFailure(
                                2, "PACS-B", "PACSB", SourceOutcome.TIMEOUT, "no answer within 20 s")),
                        0));
        Reply timedOut = reply.join();

        assertThat(timedOut.status()).isEqualTo(504);
        assertThat(timedOut.body().get("detail").asString())
                .isEqualTo("The deadline passed before the sources answered:"
                        + " Source PACS-B (AE PACSB) timeout: no answer within 20 s");
    }

    @Test
    void noAnswerByTheDeadlineIs504() {
        Reply config = post("/api/v1/config/spanner", jsonOf("{'name': 'Quick', 'timeout_seconds': 1}"));
        long quick = config.body().get("id").asLong();

        CompletableFuture<Reply> reply =
                searchInBackground("/api/v1/spanner/qido/studies?PatientID=1&spanner_config_id=" + quick, null);
        SpanRequest request = coordinator.takeRequest();
        Reply unanswered = reply.join();

        assertThat(request.deadlineEpochMillis() - System.currentTimeMillis())
                .as("deadline = config timeout 1 s + margin 2 s from the request")
                .isLessThanOrEqualTo(3_000);
        assertThat(unanswered.status()).isEqualTo(504);
        assertThat(unanswered.body().get("detail").asString()).isEqualTo("No answer from the spanner within 3 s");
        assertThat(unanswered.header("X-Query-Id")).isEqualTo(request.queryId());
        Reply status = search(unanswered.header("Location"), null);
        assertThat(status.status())
                .as("the 504's status URL answers although no coordinator wrote a status")
                .isEqualTo(200);
        assertThat(status.body().get("query_id").asString()).isEqualTo(request.queryId());
        assertThat(status.body().get("state").asString()).isEqualTo("RUNNING");
        assertThat(status.body().get("config_id").asLong()).isEqualTo(quick);
    }

    @Test
    void dicomwebPathsNameTheConfigByIdOrExactNameAndTheirUidsBecomeKeys() {
        CompletableFuture<Reply> reply = searchInBackground(
                "/dicomweb/Enterprise%20Production/studies/1.2.840.99.1/series/1.2.840.99.1.1/instances"
                        + "?includefield=Rows,Columns&limit=10&offset=5",
                "*/*");
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(request, answer(request, QueryState.COMPLETE, List.of(), List.of(), 0));

        assertThat(reply.join().status()).isEqualTo(200);
        assertThat(request.query())
                .isEqualTo(new SpanQuery(
                        1,
                        QueryLevel.IMAGE,
                        QidoResource.STUDY_SERIES_INSTANCES,
                        List.of(new QueryKey("0020000D", "1.2.840.99.1"), new QueryKey("0020000E", "1.2.840.99.1.1")),
                        List.of("00280010", "00280011"),
                        false,
                        false,
                        10,
                        5));
        assertThat(search("/dicomweb/enterprise%20production/studies", null).status())
                .as("names match exactly")
                .isEqualTo(400);
    }

    @Test
    void multipartXmlAnswerHasOneNativeDicomModelPartPerResult() {
        CompletableFuture<Reply> reply = searchInBackground(
                "/dicomweb/1/studies?PatientID=12345", "multipart/related; type=\"application/dicom+xml\"");
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(request, answer(request, QueryState.COMPLETE, List.of(study()), List.of(), 0));
        Reply xml = reply.join();

        assertThat(xml.status()).isEqualTo(200);
        String contentType = xml.header("Content-Type");
        assertThat(contentType).startsWith("multipart/related;type=\"application/dicom+xml\";boundary=");
        String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());
        assertThat(xml.raw().body())
                .isEqualTo("--" + boundary + "\r\nContent-Type: application/dicom+xml\r\n\r\n"
                        + "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<NativeDicomModel xmlns=\"http://dicom.nema.org/PS3.19/models/NativeDICOM\""
                        + " xml:space=\"preserve\">"
                        + "<DicomAttribute tag=\"00080005\" vr=\"CS\" keyword=\"SpecificCharacterSet\">"
                        + "<Value number=\"1\">ISO_IR 192</Value></DicomAttribute>"
                        + "<DicomAttribute tag=\"00080020\" vr=\"DA\" keyword=\"StudyDate\">"
                        + "<Value number=\"1\">20200102</Value></DicomAttribute>"
                        + "<DicomAttribute tag=\"00080054\" vr=\"AE\" keyword=\"RetrieveAETitle\">"
                        + "<Value number=\"1\">PACSA</Value><Value number=\"2\">PACSB</Value></DicomAttribute>"
                        + "<DicomAttribute tag=\"00080061\" vr=\"CS\" keyword=\"ModalitiesInStudy\">"
                        + "<Value number=\"1\">CT</Value><Value number=\"2\">MR</Value></DicomAttribute>"
                        + "<DicomAttribute tag=\"00100010\" vr=\"PN\" keyword=\"PatientName\">"
                        + "<PersonName number=\"1\"><Alphabetic><FamilyName>Müller</FamilyName>"
                        + "<GivenName>Hans</GivenName></Alphabetic></PersonName></DicomAttribute>"
                        + "<DicomAttribute tag=\"00100020\" vr=\"LO\" keyword=\"PatientID\">"
                        + "<Value number=\"1\">12345</Value></DicomAttribute>"
                        + "<DicomAttribute tag=\"0020000D\" vr=\"UI\" keyword=\"StudyInstanceUID\">"
                        + "<Value number=\"1\">1.2.840.99.1</Value></DicomAttribute>"
                        + "<DicomAttribute tag=\"00201206\" vr=\"IS\" keyword=\"NumberOfStudyRelatedSeries\">"
                        + "<Value number=\"1\">2</Value></DicomAttribute>"
                        + "</NativeDicomModel>\r\n"
                        + "--" + boundary + "--\r\n");
    }

    // ---- refusals ------------------------------------------------------------------------------------------------

    @Test
    void invalidSearchesAre400NamingTheParameterAndPublishNothing() {
        record Case(String path, List<String> fields) {}
        List<Case> cases = List.of(
                new Case("/api/v1/spanner/qido/studies?StudyDate=20201301&spanner_config_id=1", List.of("StudyDate")),
                new Case("/api/v1/spanner/qido/studies?StudyInstanceUID=1.2.x", List.of("StudyInstanceUID")),
                new Case("/api/v1/spanner/qido/studies?StudyDate=20200101-2020", List.of("StudyDate")),
                new Case("/api/v1/spanner/qido/studies?limit=-1", List.of("limit")),
                new Case("/api/v1/spanner/qido/studies?offset=abc", List.of("offset")),
                new Case("/api/v1/spanner/qido/studies?Modality=CT", List.of("Modality")),
                new Case("/api/v1/spanner/qido/series?SOPInstanceUID=1.2.3", List.of("SOPInstanceUID")),
                new Case("/api/v1/spanner/qido/studies?PatientID=1&spanner_config_id=99", List.of("spanner_config_id")),
                new Case(
                        "/api/v1/spanner/qido/studies?PatientID=1&spanner_config_id=one", List.of("spanner_config_id")),
                new Case("/api/v1/spanner/qido/studies", List.of("query")),
                new Case("/api/v1/spanner/qido/patients?PatientID=1", List.of("resource")),
                new Case("/dicomweb/No%20Such%20Config/studies", List.of("{config}")),
                new Case("/dicomweb/1/studies/1.2..3/series", List.of("{study}")),
                new Case("/dicomweb/1/studies?includefield=NoSuchAttribute", List.of("includefield")),
                new Case("/dicomweb/1/studies?PatientID=1&async=yes", List.of("async")));
        for (Case c : cases) {
            Reply reply = search(c.path(), null);
            assertThat(reply.status()).as(c.path()).isEqualTo(400);
            assertThat(reply.header("Content-Type")).as(c.path()).isEqualTo("application/problem+json");
            assertThat(errorFields(reply)).as(c.path()).isEqualTo(c.fields());
            assertThat(reply.raw().body())
                    .as(c.path())
                    .doesNotContain("20201301")
                    .doesNotContain("1.2.x");
        }
        assertThat(coordinator.waitingRequests()).isZero();
    }

    /**
     * The malformed requests a probe of 300 found answered in the 5xx range, sent byte for byte (a URI class would
     * refuse some of them): each is a 400 problem naming what is wrong, and nothing reaches the broker.
     */
    @Test
    void hostileRequestsAre400ProblemsNamingTheProblemAndPublishNothing() throws Exception {
        record Case(String target, String field, String message) {}
        List<Case> cases = List.of(
                new Case("/dicomweb/1/studies?=-1", "query", "parameter 1 has no name"),
                new Case("/api/v1/spanner/qido/studies?PatientID=1&=-1", "query", "parameter 2 has no name"),
                new Case(
                        "/dicomweb/1/studies?a=%zz",
                        "a",
                        "the value is not well-formed: each % must start a %XX escape and the decoded bytes must be"
                                + " UTF-8"),
                new Case("/dicomweb/1/studies?StudyTime=%00", "StudyTime", "contains a control character"),
                new Case("/dicomweb/1/studies?PatientID=A%0D%0AB", "PatientID", "contains a control character"),
                new Case(
                        "/dicomweb/1/series?",
                        "query",
                        "a search for series across all studies needs a matching key that narrows it"
                                + " (StudyInstanceUID, PatientID, StudyDate, ...): it would ask every PACS for all its"
                                + " series"),
                new Case(
                        "/dicomweb/1/instances?limit=10",
                        "query",
                        "a search for instances across all studies needs a matching key that narrows it"
                                + " (StudyInstanceUID, PatientID, StudyDate, ...): it would ask every PACS for all its"
                                + " instances"),
                new Case(
                        "/dicomweb/1/studies?FooBar=1",
                        "FooBar",
                        "is neither a QIDO-RS parameter nor an attribute: use a PS3.6 keyword (case-sensitive), 8 hex"
                                + " digits or a dotted path of them"),
                new Case(
                        "/dicomweb/1/studies?PatientID=" + "7".repeat(65),
                        "PatientID",
                        "is longer than the 64 characters a value of VR LO may have"));
        for (Case c : cases) {
            RawReply reply = rawGet(c.target());
            assertThat(reply.status()).as(c.target()).isEqualTo(400);
            assertThat(reply.contentType()).as(c.target()).isEqualTo("application/problem+json");
            var body = json.readTree(reply.body());
            assertThat(body.get("detail").asString()).as(c.target()).isEqualTo("Invalid field(s): " + c.field());
            assertThat(body.get("errors").size()).as(c.target()).isEqualTo(1);
            assertThat(body.get("errors").get(0).get("field").asString())
                    .as(c.target())
                    .isEqualTo(c.field());
            assertThat(body.get("errors").get(0).get("message").asString())
                    .as(c.target())
                    .isEqualTo(c.message());
        }
        assertThat(coordinator.waitingRequests()).as("nothing published").isZero();
    }

    /** Outside QIDO-RS the servlet container parses the query string; its failure is a 400 too, without the value. */
    @Test
    void aMalformedQueryStringOnAnotherEndpointIs400() throws Exception {
        RawReply reply = rawGet("/api/v1/audit-events?entity_type=%zz", adminKey);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        var body = json.readTree(reply.body());
        assertThat(body.get("errors").get(0).get("field").asString()).isEqualTo("query");
        assertThat(body.get("errors").get(0).get("message").asString())
                .isEqualTo("is not well-formed: a parameter without a name, a % not starting a %XX escape, or too"
                        + " many parameters");
    }

    record RawReply(int status, String contentType, String body) {}

    /** A GET whose request target goes on the wire exactly as given. */
    RawReply rawGet(String target) throws java.io.IOException {
        return rawGet(target, queryKey);
    }

    RawReply rawGet(String target, String key) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            String request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Api-Key " + key
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            String head = response.substring(0, headersEnd);
            int status = Integer.parseInt(head.substring(9, 12));
            String contentType = head.lines()
                    .filter(line -> line.regionMatches(true, 0, "Content-Type:", 0, 13))
                    .map(line -> line.substring(13).strip())
                    .findFirst()
                    .orElse(null);
            String body = response.substring(headersEnd + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new RawReply(status, contentType, body);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).strip(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    /** A source-less refusal (the coordinator refused the query itself) names its refuser, never "Source  (AE )". */
    @Test
    void aRefusalByTheCoordinatorIs502NamingTheCoordinator() {
        CompletableFuture<Reply> reply = searchInBackground("/api/v1/spanner/qido/studies?PatientID=1", null);
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(
                request,
                answer(
                        request,
                        QueryState.FAILED,
                        List.of(),
                        List.of(new SourceFailure(
                                0,
                                "spanner coordinator coordinator-1",
                                "",
                                SourceOutcome.REFUSED,
                                "invalid matching key: StudyTime (0008,0030)")),
                        0));
        Reply refused = reply.join();

        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.body().get("detail").asString())
                .isEqualTo("The query was refused before any source was asked: Spanner coordinator coordinator-1"
                        + " refused: invalid matching key: StudyTime (0008,0030)");
    }

    @Test
    void aFailureFromAnOlderCoordinatorWithoutNamesStillSaysWhoRefused() {
        assertThat(QidoAnswers.describe(new SourceFailure(0, "", "", SourceOutcome.REFUSED, "invalid matching key")))
                .isEqualTo("The spanner refused: invalid matching key");
        assertThat(QidoAnswers.describe(new SourceFailure(4, "", "", SourceOutcome.FAILED_STATUS, "C-FIND A700")))
                .isEqualTo("Source id 4 failed_status: C-FIND A700");
        assertThat(QidoAnswers.describe(new SourceFailure(4, "PACS-D", "PACSD", SourceOutcome.TIMEOUT, null)))
                .isEqualTo("Source PACS-D (AE PACSD) timeout");
    }

    @Test
    void aConfigDisabledRightAfterASearchIs400AtOnce() {
        CompletableFuture<Reply> first = searchInBackground("/dicomweb/1/studies?PatientID=1", null);
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(request, answer(request, QueryState.COMPLETE, List.of(), List.of(), 0));
        assertThat(first.join().status()).isEqualTo(200);

        // the first search kept the config (for an hour in this class): the edit must drop it
        put("/api/v1/config/spanner/1", jsonOf("{'name': 'Enterprise Production', 'enabled': false}"));
        Reply reply = search("/dicomweb/1/studies?PatientID=1", null);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("errors").get(0).get("message").asString())
                .isEqualTo("names a disabled spanner config");
        assertThat(coordinator.waitingRequests()).isZero();
    }

    @Test
    void unacceptableMediaTypeIs406AndPublishesNothing() {
        Reply html = search("/dicomweb/1/studies?PatientID=1", "text/html");
        Reply xmlWithoutMultipart = search("/dicomweb/1/studies?PatientID=1", "application/dicom+xml");

        assertThat(html.status()).isEqualTo(406);
        assertThat(html.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(xmlWithoutMultipart.status()).isEqualTo(406);
        assertThat(coordinator.waitingRequests()).isZero();
    }

    @Test
    void fullRequestQueueIs503WithRetryAfter() {
        coordinator.listen(0);

        Reply overloaded = search("/dicomweb/1/studies?PatientID=1", null);

        assertThat(overloaded.status()).isEqualTo(503);
        assertThat(overloaded.header("Retry-After")).isEqualTo("5");
        assertThat(overloaded.body().get("detail").asString())
                .isEqualTo("The spanner is overloaded: its request queue is full");
        String queryId = overloaded.header("X-Query-Id");
        assertThat(queryId).isNotNull();
        assertThat(search("/api/v1/spanner/queries/" + queryId + "/status", null)
                        .status())
                .as("a refused query leaves no RUNNING status behind")
                .isEqualTo(404);
    }

    @Test
    void noCoordinatorQueueIs503() {
        coordinator.stopListening();

        Reply nobody = search("/dicomweb/1/studies?PatientID=1", null);

        assertThat(nobody.status()).isEqualTo(503);
        assertThat(nobody.body().get("detail").asString()).isEqualTo("No coordinator is listening for span requests");
        coordinator.listen(null);
    }

    @Test
    void searchesNeedAKeyWithTheQueryScope() {
        Reply anonymous = search("/dicomweb/1/studies?PatientID=1", null, null);
        Reply unknownKey = search("/api/v1/spanner/qido/studies?PatientID=1", null, "dqs_not-a-key");
        Reply statusWithoutKey =
                search("/api/v1/spanner/queries/" + java.util.UUID.randomUUID() + "/status", null, null);

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Api-Key realm=\"dicom-query-spanner\"");
        assertThat(unknownKey.status()).isEqualTo(401);
        assertThat(statusWithoutKey.status()).isEqualTo(401);
        assertThat(coordinator.waitingRequests()).isZero();

        Reply adminSearch = search("/dicomweb/1/studies?PatientID=1&async=true", null, adminKey);
        assertThat(adminSearch.status()).as("admin includes query").isEqualTo(202);
        redisKeys.add(RedisKeys.queryStatus(adminSearch.body().get("query_id").asString()));
        Reply queryKeyOnAdminApi = search("/api/v1/sources", null, queryKey);
        assertThat(queryKeyOnAdminApi.status()).isEqualTo(403);
    }

    @Test
    void unknownQueryIs404AndMalformedIdIs400() {
        assertThat(search("/api/v1/spanner/queries/" + java.util.UUID.randomUUID() + "/status", null)
                        .status())
                .isEqualTo(404);
        assertThat(search("/api/v1/spanner/queries/" + java.util.UUID.randomUUID() + "/results", null)
                        .status())
                .isEqualTo(404);
        assertThat(search("/api/v1/spanner/queries/not-a-uuid/status", null).status())
                .isEqualTo(400);
    }
}
