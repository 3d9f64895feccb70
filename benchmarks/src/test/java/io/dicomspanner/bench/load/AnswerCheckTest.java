package io.dicomspanner.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load tool's answer check, against an HTTP server that answers the reference queries as the truth. */
class AnswerCheckTest {
    private static final String P1_STUDIES = studies("1.2.3.1", "1.2.3.2");

    private HttpServer server;
    private Gateway gateway;

    @BeforeEach
    void serveTheTruthForReferenceQueries() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/spanner/qido/studies", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            byte[] body = (query.contains("PatientID=P1") ? P1_STUDIES : "[]").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/dicom+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        gateway =
                new Gateway(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "key").keepingBodies();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String studies(String... uids) {
        StringBuilder json = new StringBuilder("[");
        for (String uid : uids) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"")
                    .append(uid)
                    .append("\"]}}");
        }
        return json.append(']').toString();
    }

    private static LoadRun.Sample sample(int status, String warning, String body) {
        QueryPlan.Query query = new QueryPlan.Query("P1", "19000101-20300101");
        return new LoadRun.Sample(
                LoadRun.Mix.UNIQUE,
                query,
                new Gateway.Answer(
                        status, 1000, 0, 1, "q", body.length(), warning, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void answersAreClassedCheckedForDuplicatesAndComparedWithTheReference() throws Exception {
        List<LoadRun.Sample> samples = List.of(
                sample(200, null, P1_STUDIES),
                sample(200, null, studies("1.2.3.1")), // complete but a study short: wrong
                sample(200, "299 spanner \"PACS_B: timed out\"", studies("1.2.3.1")), // partial, explained
                sample(200, "299 spanner \"PACS_B: timed out\"", studies("1.2.3.9")), // partial with a foreign study
                sample(200, null, studies("1.2.3.1", "1.2.3.2", "1.2.3.2")), // a study twice
                sample(503, null, "{\"title\":\"Service Unavailable\"}"),
                sample(-1, null, "transport: IOException"));

        AnswerCheck.Report report = AnswerCheck.check(samples, gateway, 1, 100);

        assertThat(report)
                .isEqualTo(new AnswerCheck.Report(3, 2, Map.of("HTTP 503", 1, "no answer", 1), 1, 5, 1, 1, 0));
        assertThat(report.lines())
                .containsExactly(
                        "answers: 3 complete, 2 partial (a Warning names the PACS that did not answer), 2 errors"
                                + " {HTTP 503=1, no answer=1}",
                        "answers holding a study twice: 1",
                        "asked again after the run: 5; complete answers that differ from it: 1; partial answers with a"
                                + " study it lacks: 1; not asked again (the reference failed): 0");
    }

    @Test
    void theReferenceAsksTheSameSearchUnderAnotherCacheKey() {
        QueryPlan.Query reference = QueryPlan.reference(new QueryPlan.Query("P1", "19000101-20300101"));

        assertThat(reference.patientId()).isEqualTo("P1");
        assertThat(reference.studyDateRange()).isEqualTo("19000101-20710127"); // 15,001 days later
    }

    @Test
    void aFaultRunsItsCommandAndReportsItsExitAndLastLine() {
        Fault fault = Fault.parse("12=echo stopping; echo stopped node 2");

        Fault.Outcome outcome = fault.run();

        assertThat(fault.at()).isEqualTo(Duration.ofSeconds(12));
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.lastLine()).isEqualTo("stopped node 2");
        assertThat(Fault.parse("0=false").run().exitCode()).isEqualTo(1);
        assertThatThrownBy(() -> Fault.parse("soon=true")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Fault.parse("5=")).hasMessage("--fault wants SECONDS=COMMAND, not 5=");
    }
}
