package io.dicomspanner.worker.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.dicomspanner.common.messaging.DicomWebEndpoint;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A task of a DICOMweb source, published as the coordinator does and answered by an HTTP server of the test: the
 * QIDO-RS requests the worker sends (paths, parameters, paging, headers) and how each kind of answer ends the task.
 * The server is a plain HTTP peer that answers what each test tells it to, so that 5xx, slow and refused answers can
 * be seen; the same path against a real archive (Orthanc) is proven by the system test {@code
 * DicomWebSourceSpanningTest}.
 */
class DicomWebTaskTest extends WorkerTestSupport {

    private static final String PASSWORD = "pw-of-the-archive";

    /** One answer of the server: status, DICOM JSON body, delay before it, its Warning header (or null). */
    private record Reply(int status, String body, long delayMillis, String warning) {
        Reply(int status, String body, long delayMillis) {
            this(status, body, delayMillis, null);
        }
    }

    /** What the server was asked. */
    private record Asked(String pathAndQuery, String accept, String authorization) {}

    private HttpServer server;
    private int port;
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final List<Asked> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        port = freePort();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            asked.add(new Asked(
                    exchange.getRequestURI().getRawPath()
                            + (exchange.getRequestURI().getRawQuery() == null
                                    ? ""
                                    : "?" + exchange.getRequestURI().getRawQuery()),
                    exchange.getRequestHeaders().getFirst("Accept"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            Reply reply;
            synchronized (replies) {
                reply = replies.isEmpty() ? new Reply(200, "[]", 0) : replies.poll();
            }
            try {
                Thread.sleep(reply.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/dicom+json");
            if (reply.warning() != null) {
                exchange.getResponseHeaders().add("Warning", reply.warning());
            }
            try {
                exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    exchange.getResponseBody().write(body);
                }
            } catch (IOException e) {
                // the worker gave up on this request (timeout): nothing to answer
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /** A port in 31000-31999 nothing listens on. */
    private static int freePort() throws IOException {
        for (int i = 0; i < 100; i++) {
            int candidate = 31000 + ThreadLocalRandom.current().nextInt(1000);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port in 31000-31999");
    }

    private void answer(int status, String body) {
        answer(status, body, 0);
    }

    private void answer(int status, String body, long delayMillis) {
        synchronized (replies) {
            replies.add(new Reply(status, body, delayMillis));
        }
    }

    private void answerWarning(String body, String warning) {
        synchronized (replies) {
            replies.add(new Reply(200, body, 0, warning));
        }
    }

    /** An archive without authentication that does not page ({@code limit_offset} false). */
    private static SourceEndpoint unpaged(int httpPort) {
        return new SourceEndpoint(
                newSourceId(),
                "archive",
                "ARCHIVE",
                "127.0.0.1",
                httpPort,
                "SPANNER",
                false,
                true,
                1,
                10,
                List.of(InformationModel.STUDY_ROOT),
                true,
                List.of(),
                new DicomWebEndpoint(
                        "http://127.0.0.1:" + httpPort + "/dicom-web",
                        DicomWebEndpoint.Auth.NONE,
                        null,
                        null,
                        null,
                        100,
                        false,
                        false,
                        false));
    }

    private SourceEndpoint source(int httpPort, int pageSize, int timeoutSeconds) {
        String sealedPassword =
                Base64.getEncoder().encodeToString(sealed.sealer().seal(PASSWORD.getBytes(StandardCharsets.UTF_8)));
        return new SourceEndpoint(
                newSourceId(),
                "archive",
                "ARCHIVE",
                "127.0.0.1",
                httpPort,
                "SPANNER",
                false,
                true,
                2,
                timeoutSeconds,
                List.of(InformationModel.STUDY_ROOT),
                false,
                List.of(),
                new DicomWebEndpoint(
                        "http://127.0.0.1:" + httpPort + "/dicom-web",
                        DicomWebEndpoint.Auth.BASIC,
                        "spanner",
                        sealedPassword,
                        null,
                        pageSize,
                        false,
                        false,
                        true));
    }

    /** A source whose bearer token is in {@code tokenFile}. */
    private static SourceEndpoint bearerSource(int httpPort, java.nio.file.Path tokenFile) {
        return new SourceEndpoint(
                newSourceId(),
                "archive",
                "ARCHIVE",
                "127.0.0.1",
                httpPort,
                "SPANNER",
                false,
                true,
                2,
                10,
                List.of(InformationModel.STUDY_ROOT),
                false,
                List.of(),
                new DicomWebEndpoint(
                        "http://127.0.0.1:" + httpPort + "/dicom-web",
                        DicomWebEndpoint.Auth.BEARER,
                        null,
                        null,
                        tokenFile.toString(),
                        100,
                        true,
                        false,
                        false));
    }

    private static Attributes studiesOf(String patientId) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setString(Tag.PATIENT_ID, VR.LO, patientId)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    private static String study(String patientId, String name, String uid) {
        return "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"" + name + "\"}]},"
                + "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"" + patientId + "\"]},"
                + "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"" + uid + "\"]}}";
    }

    private List<SourceResult> run(SourceEndpoint source, Attributes query, int retries) {
        publish(task(source, QueryLevel.STUDY, query, inSeconds(30), retries));
        return resultsUntilFinal();
    }

    @Test
    void studiesAreAskedPageByPageWithTheirKeysAndRelayedAsCFindMatchesAre() {
        answer(200, "[" + study("P1", "DOE^JANE", "1.2.3.1") + "," + study("P1", "DOE^JANE", "1.2.3.2") + "]");
        answer(200, "[" + study("P1", "DOE^JANE", "1.2.3.3") + "]");

        List<SourceResult> results = run(source(port, 2, 10), studiesOf("P1"), 0);

        SourceResult last = last(results);
        assertThat(last.outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(last.error()).isNull();
        List<Attributes> matches = matches(results);
        assertThat(matches)
                .extracting(m -> m.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactly("1.2.3.1", "1.2.3.2", "1.2.3.3");
        assertThat(matches.get(0).getString(Tag.PATIENT_NAME)).isEqualTo("DOE^JANE");
        assertThat(matches.get(0).vrOf(Tag.PATIENT_NAME)).isEqualTo(VR.PN);
        String basic =
                "Basic " + Base64.getEncoder().encodeToString(("spanner:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(asked)
                .containsExactly(
                        new Asked(
                                "/dicom-web/studies?PatientID=P1&includefield=PatientName"
                                        + "&includefield=StudyInstanceUID&limit=2&offset=0",
                                "application/dicom+json",
                                basic),
                        new Asked(
                                "/dicom-web/studies?PatientID=P1&includefield=PatientName"
                                        + "&includefield=StudyInstanceUID&limit=2&offset=2",
                                "application/dicom+json",
                                basic));
    }

    @Test
    void recordsTheArchiveReturnsThatDoNotMatchAreDroppedAsForAPacs() {
        answer(200, "[" + study("P1", "DOE^JANE", "1.2.3.1") + "," + study("P2", "ROE^RICHARD", "1.2.4.1") + "]");

        List<SourceResult> results = run(source(port, 10, 10), studiesOf("P1"), 0);

        assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(matches(results))
                .extracting(m -> m.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactly("1.2.3.1");
        assertThat(asked).hasSize(1);
    }

    @Test
    void anArchiveWhosePagesAreSmallerThanOursIsPagedOnWhileItsWarningAnnouncesMore() {
        answerWarning(
                "[" + study("P1", "DOE^JANE", "1.2.3.1") + "," + study("P1", "DOE^JANE", "1.2.3.2") + "]",
                "299 archive.example.org: There are 1 additional results that can be requested");
        answer(200, "[" + study("P1", "DOE^JANE", "1.2.3.3") + "]");

        List<SourceResult> results = run(source(port, 10, 10), studiesOf("P1"), 0);

        assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(matches(results))
                .extracting(m -> m.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactly("1.2.3.1", "1.2.3.2", "1.2.3.3");
        assertThat(asked)
                .extracting(Asked::pathAndQuery)
                .containsExactly(
                        "/dicom-web/studies?PatientID=P1&includefield=PatientName&includefield=StudyInstanceUID"
                                + "&limit=10&offset=0",
                        "/dicom-web/studies?PatientID=P1&includefield=PatientName&includefield=StudyInstanceUID"
                                + "&limit=10&offset=2");
    }

    @Test
    void anArchiveThatCannotPageAndAnnouncesMoreIsAskedByHalvesOfTheStudyDateRangeAndEachStudyRelayedOnce() {
        answerWarning(
                "[" + study("P1", "DOE^JANE", "1.2.3.1") + "," + study("P1", "DOE^JANE", "1.2.3.2") + "]",
                "299 archive \"There are 5 additional results that can be requested\"");
        answer(200, "[" + study("P1", "DOE^JANE", "1.2.3.2") + "," + study("P1", "DOE^JANE", "1.2.3.3") + "]");
        answer(200, "[" + study("P1", "DOE^JANE", "1.2.3.4") + "]");

        List<SourceResult> results = run(unpaged(port), studiesOf("P1"), 0);

        assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(matches(results))
                .extracting(m -> m.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactlyInAnyOrder("1.2.3.1", "1.2.3.2", "1.2.3.3", "1.2.3.4");
        assertThat(asked)
                .extracting(Asked::pathAndQuery)
                .containsExactlyInAnyOrder(
                        "/dicom-web/studies?PatientID=P1&includefield=PatientName&includefield=StudyInstanceUID",
                        "/dicom-web/studies?StudyDate=00010101-50000702&PatientID=P1&includefield=PatientName"
                                + "&includefield=StudyInstanceUID",
                        "/dicom-web/studies?StudyDate=50000703-99991231&PatientID=P1&includefield=PatientName"
                                + "&includefield=StudyInstanceUID");
    }

    @Test
    void anEmptyAnswerIsNotSplitWhateverItsWarningSays() {
        answerWarning("[]", "299 archive: There are 5 additional results that can be requested");

        List<SourceResult> results = run(unpaged(port), studiesOf("P1"), 0);

        assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(matches(results)).isEmpty();
        assertThat(asked)
                .extracting(Asked::pathAndQuery)
                .containsExactly(
                        "/dicom-web/studies?PatientID=P1&includefield=PatientName&includefield=StudyInstanceUID");
    }

    @Test
    void recordsOfAnArchiveThatSaysItDidNotApplyAKeyAreCheckedLocally() {
        answerWarning(
                "[" + study("P1", "DOE^JANE", "1.2.3.1") + "," + study("P2", "ROE^RICHARD", "1.2.4.1") + "]",
                "299 archive: \"The PatientID matching key is not supported\"");

        List<SourceResult> results = run(source(port, 10, 10), studiesOf("P1"), 0);

        assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(last(results).error()).isNull();
        assertThat(matches(results))
                .extracting(m -> m.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactly("1.2.3.1");
    }

    @Test
    void anHttp503IsAConnectionFailureNamedByItsStatusAndRetried() {
        answer(503, "");
        answer(503, "");

        SourceResult failed = last(run(source(port, 10, 10), studiesOf("P1"), 1));

        assertThat(failed.outcome()).isEqualTo(SourceOutcome.CONNECTION_FAILED);
        assertThat(failed.error()).isEqualTo("HTTP 503 Service Unavailable");
        assertThat(asked).hasSize(2);

        answer(503, "");
        answer(200, "[" + study("P1", "DOE^JANE", "1.2.3.1") + "]");
        asked.clear();
        List<SourceResult> retried = run(source(port, 10, 10), studiesOf("P1"), 1);
        assertThat(last(retried).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(matches(retried)).hasSize(1);
        assertThat(asked).hasSize(2);
    }

    @Test
    void aBearerTokenIsReadFromItsFileAtEachRequestAndAnArchiveWithoutPagingIsAskedOnce(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path tokenFile = dir.resolve("token");
        java.nio.file.Files.writeString(tokenFile, "first.token\n");
        SourceEndpoint source = bearerSource(port, tokenFile);
        answer(200, "[" + study("P1", "DOE^JANE", "1.2.3.1") + "]");

        assertThat(last(run(source, studiesOf("P1"), 0)).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        java.nio.file.Files.writeString(tokenFile, "second.token");
        assertThat(last(run(source, studiesOf("P1"), 0)).outcome()).isEqualTo(SourceOutcome.SUCCESS);

        assertThat(asked)
                .containsExactly(
                        new Asked(
                                "/dicom-web/studies?PatientID=P1&includefield=all",
                                "application/dicom+json",
                                "Bearer first.token"),
                        new Asked(
                                "/dicom-web/studies?PatientID=P1&includefield=all",
                                "application/dicom+json",
                                "Bearer second.token"));
    }

    @Test
    void anHttp401IsARefusalNamedByItsStatusAndNotRetried() {
        answer(401, "");

        SourceResult refused = last(run(source(port, 10, 10), studiesOf("P1"), 2));

        assertThat(refused.outcome()).isEqualTo(SourceOutcome.REFUSED);
        assertThat(refused.error()).isEqualTo("HTTP 401 Unauthorized");
        assertThat(asked).hasSize(1);
    }

    @Test
    void anArchiveThatDoesNotAnswerWithinTheSourcesTimeoutEndsTheTaskTimedOut() {
        answer(200, "[]", 3000);

        SourceResult late = last(run(source(port, 10, 1), studiesOf("P1"), 0));

        assertThat(late.outcome()).isEqualTo(SourceOutcome.TIMEOUT);
        assertThat(late.error()).isEqualTo("no HTTP answer within 1000 ms");
    }

    @Test
    void anArchiveNobodyListensForIsAConnectionFailure() throws IOException {
        int nothing = freePort();

        SourceResult failed = last(run(source(nothing, 10, 5), studiesOf("P1"), 0));

        assertThat(failed.outcome()).isEqualTo(SourceOutcome.CONNECTION_FAILED);
        assertThat(failed.error()).startsWith("HTTP connection failed: ConnectException");
    }
}
