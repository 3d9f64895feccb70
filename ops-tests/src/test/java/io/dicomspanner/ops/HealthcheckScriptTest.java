package io.dicomspanner.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.dicomspanner.testing.Command;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docker/healthcheck.sh, the images' HEALTHCHECK, against a readiness endpoint that is UP, DOWN or absent. */
class HealthcheckScriptTest {
    private HttpServer server;

    @BeforeEach
    void startProbeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/down", exchange -> {
            byte[] body = "{\"status\":\"OUT_OF_SERVICE\"}".getBytes();
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopProbeServer() {
        server.stop(0);
    }

    private int check(int port, String path) {
        Command run = Command.run(
                Repo.root(),
                Map.of("HEALTHCHECK_PORT", Integer.toString(port), "HEALTHCHECK_PATH", path),
                Duration.ofSeconds(30),
                "docker/healthcheck.sh");
        return run.exitCode();
    }

    @Test
    void readyIsHealthy() {
        assertThat(check(server.getAddress().getPort(), "/actuator/health/readiness"))
                .isZero();
    }

    @Test
    void aReadinessOtherThan200IsUnhealthy() {
        assertThat(check(server.getAddress().getPort(), "/down")).isEqualTo(1);
    }

    @Test
    void aClosedPortIsUnhealthyAndAnOpenOneHealthyWhenOnlyTcpIsChecked() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(check(closed, "")).isEqualTo(1);
        assertThat(check(server.getAddress().getPort(), "")).isZero();
    }
}
