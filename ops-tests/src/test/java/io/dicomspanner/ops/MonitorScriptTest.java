package io.dicomspanner.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.dicomspanner.testing.Command;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * scripts/monitor_spanner.sh --once against fixed /actuator/prometheus expositions and a fixed RabbitMQ queue list:
 * every line of the report from known series. (LocalFleetMetricsTest runs it against the real services.)
 */
class MonitorScriptTest {
    private static final String GATEWAY = """
            spanner_cache_requests_total{result="hit"} 1.0
            spanner_cache_requests_total{result="miss"} 3.0
            spanner_coalesced_queries_total 2.0
            spanner_redis_errors_total 0.0
            """;
    private static final String COORDINATOR = """
            # TYPE spanner_queries_total counter
            spanner_queries_total{entry_point="qido",state="complete"} 3.0
            spanner_queries_total{entry_point="dimse",state="partial"} 1.0
            spanner_query_duration_seconds_bucket{level="study",le="0.1"} 2.0
            spanner_query_duration_seconds_bucket{level="study",le="0.2"} 4.0
            spanner_query_duration_seconds_bucket{level="study",le="+Inf"} 4.0
            spanner_source_outcomes_total{source="2",outcome="timeout"} 1.0
            """;
    private static final String WORKER = """
            spanner_worker_busy_tasks 2.0
            spanner_worker_task_capacity 32.0
            spanner_worker_source_up{ae_title="PACSA",source="1"} 1.0
            spanner_worker_source_up{ae_title="DEADPACS",source="2"} 0.0
            spanner_worker_circuit_state{source="1",state="open"} 0.0
            spanner_worker_circuit_state{source="2",state="open"} 1.0
            spanner_worker_cfind_duration_seconds_count{source="1"} 4.0
            spanner_worker_cfind_duration_seconds_bucket{source="1",le="0.1"} 4.0
            spanner_worker_cfind_duration_seconds_bucket{source="1",le="+Inf"} 4.0
            spanner_worker_cfind_results_total{source="1"} 12.0
            spanner_worker_cfind_errors_total{outcome="CONNECTION_FAILED",source="2"} 3.0
            """;
    private static final String LISTENER = """
            spanner_listener_finds_total{status="0000"} 2.0
            spanner_listener_finds_total{status="A900"} 1.0
            spanner_listener_finds_in_flight 0.0
            """;
    private static final String QUEUES = """
            [{"name":"spanner.requests","messages_ready":5,"messages_unacknowledged":2,"consumers":1},
             {"name":"spanner.results.gw-1","messages_ready":0,"messages_unacknowledged":1,"consumers":1},
             {"name":"spanner.answers.gw-1","messages_ready":1,"messages_unacknowledged":0,"consumers":1},
             {"name":"other.queue","messages_ready":9,"messages_unacknowledged":9,"consumers":9}]
            """;

    private HttpServer server;
    private String base;

    @BeforeEach
    void serveFixedSeries() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serve("/gateway/actuator/prometheus", GATEWAY);
        serve("/coordinator/actuator/prometheus", COORDINATOR);
        serve("/worker/actuator/prometheus", WORKER);
        serve("/listener/actuator/prometheus", LISTENER);
        // only the virtual host's own list: a monitor that asked for every virtual host would find no queues
        serve("/rabbitmq/api/queues/spanner-demo", QUEUES);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void serve(String path, String body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void onceReportsEachServiceQueryCacheWorkerQueueAndPacsLine() {
        Command monitor = Command.run(
                Repo.root(),
                Map.of(
                        "SPANNER_MONITOR_GATEWAY", base + "/gateway",
                        "SPANNER_MONITOR_COORDINATORS", base + "/coordinator",
                        "SPANNER_MONITOR_WORKERS", base + "/worker",
                        "SPANNER_MONITOR_LISTENER", base + "/listener",
                        "SPANNER_MONITOR_RABBITMQ_API", base + "/rabbitmq",
                        "SPRING_RABBITMQ_VIRTUAL_HOST", "spanner-demo",
                        "RABBITMQCTL", "false"),
                Duration.ofSeconds(30),
                "scripts/monitor_spanner.sh",
                "--once",
                "--interval",
                "0.2");

        assertThat(monitor.exitCode()).as(monitor.output()).isZero();
        List<String> lines = monitor.out().lines().toList();
        assertThat(lines.get(0))
                .startsWith("DICOM Query Spanner  ")
                .endsWith("  (rates over the last 0s; totals since each service started)");
        assertThat(lines.subList(1, lines.size()))
                .containsExactly(
                        "",
                        "Services:  api-gateway 1/1 up   spanner-coordinator 1/1 up   dimse-query-worker 1/1 up"
                                + "   dimse-scp-listener 1/1 up",
                        "Queries:   0.00/s   total 4: complete 3  partial 1  failed 0  timed_out 0  cancelled 0"
                                + "   failure rate 0.0%",
                        "           by entry point: dimse 1  qido 3",
                        "Latency:   study    p50 100ms  p95 190ms  p99 198ms  (since start)",
                        "Cache:     hit rate 25.0% (1 hits, 3 misses)   coalesced 2   redis errors 0",
                        "Workers:   utilization 6.2% (2 busy of 32 task slots)",
                        "Listener:  0.00 C-FINDs/s   in flight 0   total 3: 0000 2  A900 1",
                        "",
                        "Queue                                       ready  unacked  consumers",
                        "spanner.requests                                5        2          1",
                        "per-instance queues (2)                         1        1          2",
                        "",
                        "PACS (source)          C-ECHO  circuit  C-FINDs     p50     p95  results"
                                + "  errors by outcome / coordinator's timeouts",
                        "PACSA (1)              up      closed         4    50ms    95ms       12  -",
                        "DEADPACS (2)           DOWN    OPEN           0       -       -        0"
                                + "  CONNECTION_FAILED 3; timeouts seen by coordinators 1");
    }

    @Test
    void onceExitsOneWhenNoServiceAnswers() throws IOException {
        String closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = "http://127.0.0.1:" + s.getLocalPort();
        }
        Command monitor = Command.run(
                Repo.root(),
                Map.of("RABBITMQCTL", "false"),
                Duration.ofSeconds(30),
                "scripts/monitor_spanner.sh",
                "--once",
                "--interval",
                "0.1",
                "--gateway",
                closed,
                "--coordinator",
                closed + "," + closed,
                "--worker",
                closed,
                "--listener",
                closed,
                "--rabbitmq-api",
                closed);

        assertThat(monitor.exitCode()).as(monitor.output()).isEqualTo(1);
        assertThat(monitor.out().lines().toList())
                .contains("Services:  api-gateway 0/1 up   spanner-coordinator 0/2 up   dimse-query-worker 0/1 up"
                        + "   dimse-scp-listener 0/1 up")
                .contains("Queues:    unavailable")
                .contains(
                        "note: queue depths unavailable: no management API at " + closed + " and rabbitmqctl said: ?");
    }

    @Test
    void helpListsEveryOption() {
        Command help =
                Command.run(Repo.root(), Map.of(), Duration.ofSeconds(30), "scripts/monitor_spanner.sh", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .startsWith("usage: monitor_spanner.sh ")
                .contains(
                        "--once",
                        "--interval SECONDS",
                        "--gateway URL",
                        "--coordinator URL[,URL...]",
                        "--worker URL[,URL...]",
                        "--listener URL",
                        "--prometheus URL",
                        "--rabbitmq-api URL",
                        "--rabbitmq-vhost VHOST");
    }
}
