package io.dicomspanner.worker.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.capability.KeyObservation;
import io.dicomspanner.common.capability.KeyObservationRows;
import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.ProbeRequest;
import io.dicomspanner.common.messaging.ProbeStatus;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.probe.MatchingProbe;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.cancel.RunningQueries;
import io.dicomspanner.worker.capability.ObservationRecorder;
import io.dicomspanner.worker.capability.ProbeProperties;
import io.dicomspanner.worker.find.SourceFinder;
import io.dicomspanner.worker.sources.ServedSources;
import io.dicomspanner.worker.testing.TestDatabase;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The capability probe on request: claimed by one worker, run with C-FINDs through the worker's own path to the source,
 * its progress in Redis and its findings stored as observations. The probe engine here is a stand-in that sends one
 * C-FIND and reports findings built by hand; the engine's own rules are the dicom module's to test.
 */
class ProbeRunnerTest extends WorkerTestSupport {

    @Autowired
    ServedSources served;

    @Autowired
    SourceFinder finder;

    @Autowired
    RunningQueries running;

    @Autowired
    ObservationRecorder recorder;

    @Autowired
    Clock clock;

    @Autowired
    ProbeProperties properties;

    @Autowired
    JdbcClient jdbc;

    final MessageCodec codec = MessageCodec.instance();

    ProbeRunner runner(ProbeRunner.Engine engine) {
        return new ProbeRunner(served, finder, running, redis, recorder, clock, properties, engine);
    }

    static Attributes sampleStudy() {
        return new Attributes()
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.7.1")
                .setString(Tag.PATIENT_ID, VR.LO, "P7")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT");
    }

    ProbeStatus recordedStatus(long sourceId) {
        String json = redis.opsForValue().get(RedisKeys.matchingProbe(sourceId));
        return json == null ? null : codec.read(json, ProbeStatus.class);
    }

    @Test
    void oneOfTwoClaimantsRunsTheProbeRecordingRunningThenDoneAndEachFindingAsAnObservation() throws Exception {
        long sourceId = newSourceId();
        try (TestPacs pacs =
                new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true).add(QueryLevel.STUDY, sampleStudy())) {
            TestDatabase.insertSource(sourceId, "TESTPACS", pacs.port(), true);
            ProbeRequest request = new ProbeRequest(
                    UUID.randomUUID().toString(),
                    sourceId,
                    List.of("PatientID", "ModalitiesInStudy", "BodyPartExamined"),
                    "api-key:7",
                    System.currentTimeMillis());
            try {
                served.refresh();
                CountDownLatch go = new CountDownLatch(1);
                CompletableFuture<List<String>> keywordsGiven = new CompletableFuture<>();
                CompletableFuture<List<Attributes>> found = new CompletableFuture<>();
                ProbeRunner first = runner((probeFinder, keywords) -> {
                    keywordsGiven.complete(keywords);
                    return CompletableFuture.supplyAsync(() -> {
                                try {
                                    go.await(30, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                return null;
                            })
                            .thenCompose(x -> probeFinder.find(new Attributes()
                                    .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                                    .setString(Tag.PATIENT_ID, VR.LO, "P7")
                                    .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                                    .setNull(Tag.MODALITIES_IN_STUDY, VR.CS)))
                            .thenApply(matches -> {
                                found.complete(matches);
                                return new MatchingProbe.Report(
                                        List.of(
                                                new MatchingProbe.KeyFinding(
                                                        "PatientID",
                                                        QueryLevel.STUDY,
                                                        MatchingProbe.Matching.MATCHED,
                                                        true,
                                                        "the sample came back for its own value only"),
                                                new MatchingProbe.KeyFinding(
                                                        "ModalitiesInStudy",
                                                        QueryLevel.STUDY,
                                                        MatchingProbe.Matching.NOT_MATCHED,
                                                        false,
                                                        "the sample came back for a value that must not match"),
                                                new MatchingProbe.KeyFinding(
                                                        "BodyPartExamined",
                                                        QueryLevel.SERIES,
                                                        MatchingProbe.Matching.UNDETERMINED,
                                                        null,
                                                        "no sample record has a value")),
                                        5);
                            });
                });
                ProbeRunner second = runner((probeFinder, keywords) -> {
                    throw new AssertionError("the second claimant ran the probe");
                });

                Optional<CompletableFuture<ProbeStatus>> run = first.onProbeRequest(request);
                Optional<CompletableFuture<ProbeStatus>> notRun = second.onProbeRequest(request);

                assertThat(run).isPresent();
                assertThat(notRun).isEmpty();
                assertThat(keywordsGiven.join()).containsExactly("PatientID", "ModalitiesInStudy", "BodyPartExamined");
                ProbeStatus running = recordedStatus(sourceId);
                assertThat(running.requestId()).isEqualTo(request.requestId());
                assertThat(running.state()).isEqualTo(ProbeStatus.State.RUNNING);
                assertThat(running.finishedAt()).isNull();
                assertThat(running.cfinds()).isZero();
                assertThat(running.error()).isNull();

                go.countDown();
                ProbeStatus done = run.get().join();

                assertThat(done)
                        .isEqualTo(new ProbeStatus(
                                request.requestId(),
                                ProbeStatus.State.DONE,
                                running.startedAt(),
                                done.finishedAt(),
                                5,
                                null));
                assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
                assertThat(recordedStatus(sourceId)).isEqualTo(done);
                // the stand-in's one C-FIND went to the PACS in Study Root and came back with the sample
                assertThat(pacs.requestSopClasses()).containsExactly(SopClasses.STUDY_ROOT_QUERY_FIND);
                assertThat(found.join())
                        .extracting(a -> a.getString(Tag.STUDY_INSTANCE_UID), a -> a.getString(Tag.MODALITIES_IN_STUDY))
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("1.2.7.1", "CT"));
                List<KeyObservation> observed = new KeyObservationRows(jdbc).of(sourceId);
                assertThat(observed)
                        .extracting(KeyObservation::observedAt)
                        .hasSize(3)
                        .allMatch(observed.get(0).observedAt()::equals);
                assertThat(observed)
                        .containsExactly(
                                new KeyObservation(
                                        sourceId,
                                        "BodyPartExamined",
                                        null,
                                        null,
                                        KeyObservation.Origin.PROBED,
                                        observed.get(0).observedAt(),
                                        "no sample record has a value"),
                                new KeyObservation(
                                        sourceId,
                                        "ModalitiesInStudy",
                                        false,
                                        false,
                                        KeyObservation.Origin.PROBED,
                                        observed.get(0).observedAt(),
                                        "the sample came back for a value that must not match"),
                                new KeyObservation(
                                        sourceId,
                                        "PatientID",
                                        true,
                                        true,
                                        KeyObservation.Origin.PROBED,
                                        observed.get(0).observedAt(),
                                        "the sample came back for its own value only"));
            } finally {
                redis.delete(
                        List.of(RedisKeys.matchingProbe(sourceId), RedisKeys.matchingProbeClaim(request.requestId())));
                TestDatabase.update("delete from dicom_source where id = ?", sourceId);
            }
        }
    }

    @Test
    void aRequestWithoutKeywordsProbesTheDefaultKeysAndAFailingProbeIsRecordedAsFailed() throws Exception {
        long sourceId = newSourceId();
        try (TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            TestDatabase.insertSource(sourceId, "TESTPACS", pacs.port(), true);
            ProbeRequest request = new ProbeRequest(UUID.randomUUID().toString(), sourceId, List.of(), "api-key:7", 0L);
            try {
                served.refresh();
                CompletableFuture<List<String>> keywordsGiven = new CompletableFuture<>();
                ProbeRunner runner = runner((probeFinder, keywords) -> {
                    keywordsGiven.complete(keywords);
                    return CompletableFuture.failedFuture(new IllegalStateException("no sample record"));
                });

                ProbeStatus failed =
                        runner.onProbeRequest(request).orElseThrow().join();

                assertThat(keywordsGiven.join()).isEqualTo(MatchingProbe.DEFAULT_KEYS);
                assertThat(failed)
                        .isEqualTo(new ProbeStatus(
                                request.requestId(),
                                ProbeStatus.State.FAILED,
                                failed.startedAt(),
                                failed.finishedAt(),
                                0,
                                "IllegalStateException: no sample record"));
                assertThat(recordedStatus(sourceId)).isEqualTo(failed);
                assertThat(new KeyObservationRows(jdbc).of(sourceId)).isEmpty();
            } finally {
                redis.delete(
                        List.of(RedisKeys.matchingProbe(sourceId), RedisKeys.matchingProbeClaim(request.requestId())));
                TestDatabase.update("delete from dicom_source where id = ?", sourceId);
            }
        }
    }

    @Test
    void aSourceThisWorkerDoesNotServeIsNeitherClaimedNorProbed() {
        long notServed = FIRST_SOURCE + SOURCES + 3;
        ProbeRequest request = new ProbeRequest(UUID.randomUUID().toString(), notServed, List.of(), "api-key:7", 0L);
        ProbeRunner runner = runner((probeFinder, keywords) -> {
            throw new AssertionError("probed a source not served");
        });

        assertThat(runner.onProbeRequest(request)).isEmpty();
        assertThat(redis.hasKey(RedisKeys.matchingProbeClaim(request.requestId())))
                .isFalse();
        assertThat(redis.hasKey(RedisKeys.matchingProbe(notServed))).isFalse();
    }

    /**
     * Published as the gateway publishes (the record's JSON, no type header) with the probe routing key, the request
     * reaches the worker's probe through its health-echo queue; a keyword the dictionary does not know fails the probe
     * before any C-FIND.
     */
    @Test
    void aProbeRequestFromTheBrokerIsRunByTheWorkerServingTheSource() throws Exception {
        long sourceId = newSourceId();
        try (TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            TestDatabase.insertSource(sourceId, "TESTPACS", pacs.port(), true);
            ProbeRequest request = new ProbeRequest(
                    UUID.randomUUID().toString(),
                    sourceId,
                    List.of("NoSuchKeyword"),
                    "api-key:7",
                    System.currentTimeMillis());
            try {
                served.refresh();

                rabbit.send(
                        Topology.HEALTH_ECHO_EXCHANGE,
                        Topology.matchingProbeRoutingKey(sourceId),
                        MessageBuilder.withBody(sealed.sealMessage(request))
                                .setContentType(SealedCodec.CONTENT_TYPE)
                                .setMessageId(request.requestId())
                                .setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT)
                                .build());

                ProbeStatus status = finalStatus(sourceId, request.requestId());
                assertThat(status.state()).isEqualTo(ProbeStatus.State.FAILED);
                assertThat(status.cfinds()).isZero();
                assertThat(pacs.requests()).isEmpty();
                assertThat(redis.hasKey(RedisKeys.matchingProbeClaim(request.requestId())))
                        .isTrue();
            } finally {
                redis.delete(
                        List.of(RedisKeys.matchingProbe(sourceId), RedisKeys.matchingProbeClaim(request.requestId())));
                TestDatabase.update("delete from dicom_source where id = ?", sourceId);
            }
        }
    }

    /** Waits (up to 30 s) for the final status of the request. */
    private ProbeStatus finalStatus(long sourceId, String requestId) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            ProbeStatus status = recordedStatus(sourceId);
            if (status != null && status.requestId().equals(requestId) && status.state() != ProbeStatus.State.RUNNING) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no final status of probe " + requestId + " was recorded");
    }
}
