package io.dicomspanner.ops;

import io.dicomspanner.testing.Command;
import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.ServiceProcess;
import io.dicomspanner.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The spanner as scripts/start_enterprise_spanner.sh runs it (the jars as local processes, configured through the same
 * environment variables), on resources of its own so that it never meets another test or a running deployment: a
 * PostgreSQL database, a Redis server and a RabbitMQ node (with the rabbitmq_prometheus plugin and the queue policies
 * of docker/rabbitmq/apply-policies.sh) on free ports. {@link #close()} stops and removes all of it.
 */
final class LocalFleet implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    final String name = "spanner_ops_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
    final String adminKey = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    final Path dir;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final JsonMapper json = JsonMapper.builder().build();

    final int redisPort = freePort();
    final int amqpPort = freePort();
    final int rabbitPrometheusPort = freePort();
    final int rabbitDistPort = freePort();
    final String rabbitNode = name + "@localhost";
    final int gatewayPort = freePort();
    final int gatewayHttpsPort = freePort();
    final int coordinatorPort = freePort();
    final int workerPort = freePort();
    final int listenerPort = freePort();
    final int listenerDicomPort = freePort();
    final int listenerTlsPort = freePort();
    int simulatorBasePort;
    int prometheusPort;

    private final List<ServiceProcess> processes = new ArrayList<>();
    private final List<Runnable> cleanup = new ArrayList<>();
    private Path composeTls;
    private final String phiSecret = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
    private final String dataKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));

    LocalFleet() throws IOException {
        // readable by the rabbitmq user, which runs the broker node in a directory below it
        dir = Files.createTempDirectory(
                name, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    // --- infrastructure of its own -------------------------------------------------------------------------------

    void startInfrastructure() throws IOException, InterruptedException {
        psql("CREATE DATABASE " + name);
        cleanup.add(() -> psql("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));

        start(
                "redis",
                Map.of(),
                "redis-server",
                "--port",
                Integer.toString(redisPort),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no");

        Path rabbit = Files.createDirectories(dir.resolve("rabbitmq"));
        Files.writeString(
                rabbit.resolve("rabbitmq.conf"),
                "listeners.tcp.default = " + amqpPort + "\nprometheus.tcp.port = " + rabbitPrometheusPort + "\n");
        Files.writeString(rabbit.resolve("enabled_plugins"), "[rabbitmq_prometheus].\n");
        // The Debian wrapper runs the node as the rabbitmq user, which must own its directories.
        must(Command.run(dir, Map.of(), Duration.ofSeconds(30), "chown", "-R", "rabbitmq:rabbitmq", rabbit.toString()));
        Map<String, String> env = Map.of(
                "RABBITMQ_NODENAME", rabbitNode,
                "RABBITMQ_NODE_PORT", Integer.toString(amqpPort),
                "RABBITMQ_DIST_PORT", Integer.toString(rabbitDistPort),
                "RABBITMQ_MNESIA_BASE", rabbit.resolve("mnesia").toString(),
                "RABBITMQ_LOG_BASE", rabbit.resolve("log").toString(),
                "RABBITMQ_CONFIG_FILE", rabbit.resolve("rabbitmq.conf").toString(),
                "RABBITMQ_ENABLED_PLUGINS_FILE",
                        rabbit.resolve("enabled_plugins").toString(),
                "RABBITMQ_PID_FILE", rabbit.resolve("pid").toString());
        must(Command.run(dir, env, Duration.ofSeconds(60), "rabbitmq-server", "-detached"));
        cleanup.add(() -> Command.run(dir, Map.of(), Duration.ofSeconds(60), "rabbitmqctl", "-n", rabbitNode, "stop"));
        // The same script the rabbitmq container runs at start: waits for the node, then sets the policies.
        must(Command.run(
                Repo.root(),
                Map.of("RABBITMQCTL", rabbitmqctl(), "RABBITMQ_STARTUP_TIMEOUT", "180"),
                Duration.ofMinutes(4),
                "docker/rabbitmq/apply-policies.sh"));
    }

    String rabbitmqctl() {
        return "rabbitmqctl -n " + rabbitNode;
    }

    // --- the services -------------------------------------------------------------------------------------------

    /** The simulated PACS; returns their "NAME AE host:port MODE" lines. */
    List<String> startSimulator(int pacs, int patients) throws IOException, InterruptedException {
        simulatorBasePort = FreePorts.consecutive(pacs);
        ServiceProcess p = start(
                "pacs-simulator",
                Map.of(),
                "java",
                "-Xmx384m",
                "-jar",
                jar("pacs-simulator/target/pacs-simulator.jar"),
                "--pacs",
                Integer.toString(pacs),
                "--base-port",
                Integer.toString(simulatorBasePort),
                "--patients",
                Integer.toString(patients));
        p.awaitReady("READY", () -> p.log().contains("READY\n"), START_TIMEOUT);
        return p.log()
                .lines()
                .filter(l -> l.matches("[A-Z0-9_]+ [A-Z0-9_]+ [0-9.]+:[0-9]+ [A-Z]+"))
                .toList();
    }

    /**
     * The gateway, with HTTPS on {@link #gatewayHttpsPort} from a test CA's certificate (valid 2 days, so its expiry
     * alert goes pending). A bundle's name has a hyphen, which environment variable names cannot carry: it comes as
     * SPRING_APPLICATION_JSON, as docs/operations.md shows.
     */
    void startGateway() throws IOException, InterruptedException {
        Map<String, String> env = serviceEnv(gatewayPort);
        env.put("SPANNER_BOOTSTRAP_API_KEY", adminKey);
        TestPki pki = TestPki.create(dir.resolve("tls"), "fleet");
        TestPki.Issued https = pki.server("spanner-gateway");
        env.put("SPANNER_HTTPS_PORT", Integer.toString(gatewayHttpsPort));
        env.put("SPRING_APPLICATION_JSON", """
                {"spring": {"ssl": {"bundle": {"pem": {"spanner-https": {"reload-on-update": true,
                  "keystore": {"certificate": "file:%s", "private-key": "file:%s"}}}}}}}""".formatted(https.certificate(), https.privateKey()));
        startService("api-gateway", "api-gateway/target/api-gateway-0.1.0-SNAPSHOT.jar", env, gatewayPort);
    }

    void startCoordinator() throws IOException, InterruptedException {
        startService(
                "spanner-coordinator",
                "spanner-coordinator/target/spanner-coordinator-0.1.0-SNAPSHOT.jar",
                serviceEnv(coordinatorPort),
                coordinatorPort);
    }

    void startWorker(String sourceIds) throws IOException, InterruptedException {
        Map<String, String> env = serviceEnv(workerPort);
        env.put("SPANNER_WORKER_SOURCES", sourceIds);
        // C-ECHO each known source every second, so the health gauges appear within the test
        env.put("SPANNER_WORKER_HEALTH_INTERVAL", "1s");
        env.put("SPRING_APPLICATION_JSON", composeBundleJson("dimse-query-worker"));
        startService(
                "dimse-query-worker",
                "dimse-query-worker/target/dimse-query-worker-0.1.0-SNAPSHOT.jar",
                env,
                workerPort);
    }

    /**
     * The SCP listener: DICOM on {@link #listenerDicomPort}, DICOM TLS on {@link #listenerTlsPort} (its certificate and
     * trusted CA as docker-compose.enterprise.yml gives them), health and metrics on {@link #listenerPort}.
     */
    void startListener() throws IOException, InterruptedException {
        Map<String, String> env = serviceEnv(listenerPort);
        env.put("SPANNER_LISTENER_PORT", Integer.toString(listenerDicomPort));
        env.put("SPANNER_LISTENER_DICOM_BINDADDRESS", "127.0.0.1");
        env.put("SPANNER_LISTENER_TLS_MODE", "on");
        env.put("SPANNER_LISTENER_TLS_PORT", Integer.toString(listenerTlsPort));
        env.put("SPRING_APPLICATION_JSON", composeBundleJson("dimse-scp-listener"));
        startService(
                "dimse-scp-listener",
                "dimse-scp-listener/target/dimse-scp-listener-0.1.0-SNAPSHOT.jar",
                env,
                listenerPort);
    }

    /**
     * The SSL bundle that docker-compose.enterprise.yml gives {@code service} in SPRING_APPLICATION_JSON, its files
     * under {@code /etc/spanner/tls} (the mounted SPANNER_TLS_DIR) here in {@link #composeTls()}: the compose file's
     * own text, so that a service that starts with it proves the container would.
     */
    @SuppressWarnings("unchecked")
    String composeBundleJson(String service) throws IOException, InterruptedException {
        Map<String, Object> compose = new Yaml().load(Repo.read("docker-compose.enterprise.yml"));
        Map<String, Object> definition =
                (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(service);
        String json = (String) ((Map<String, Object>) definition.get("environment")).get("SPRING_APPLICATION_JSON");
        if (json == null || !json.contains("file:/etc/spanner/tls/")) {
            throw new IllegalStateException(service + " has no SSL bundle from /etc/spanner/tls in the compose file");
        }
        return json.replace("file:/etc/spanner/tls/", "file:" + composeTls() + "/");
    }

    /**
     * SPANNER_TLS_DIR as the start script fills it, from a test CA: ca.pem, server.pem + server-key.pem,
     * client.pem + client-key.pem.
     */
    Path composeTls() throws IOException, InterruptedException {
        if (composeTls == null) {
            Path tls = Files.createDirectories(dir.resolve("compose-tls"));
            TestPki pki = TestPki.create(dir.resolve("compose-ca"), "compose");
            TestPki.Issued server = pki.server("spanner-listener");
            TestPki.Issued client = pki.client("spanner-worker");
            Files.copy(pki.caCertificate(), tls.resolve("ca.pem"));
            Files.copy(server.certificate(), tls.resolve("server.pem"));
            Files.copy(server.privateKey(), tls.resolve("server-key.pem"));
            Files.copy(client.certificate(), tls.resolve("client.pem"));
            Files.copy(client.privateKey(), tls.resolve("client-key.pem"));
            composeTls = tls;
        }
        return composeTls;
    }

    private Map<String, String> serviceEnv(int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:5432/" + name);
        env.put("SPRING_RABBITMQ_PORT", Integer.toString(amqpPort));
        env.put("SPRING_DATA_REDIS_PORT", Integer.toString(redisPort));
        env.put("SPANNER_PHI_TOKEN_SECRET", phiSecret);
        // each instance its own outbox of audit events and query log rows waiting for PostgreSQL
        env.put("SPANNER_OUTBOX_DIRECTORY", "target/outbox/" + name + "-" + port);
        env.put("SPANNER_DATA_KEY", dataKey);
        return env;
    }

    private void startService(String service, String jar, Map<String, String> env, int port)
            throws IOException, InterruptedException {
        start(service, env, "java", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar(jar))
                .awaitSpringBootReady(port, START_TIMEOUT);
    }

    /**
     * A Prometheus scraping every service and RabbitMQ every second, with monitoring/alerts.yml evaluated every second:
     * the Docker deployment's monitoring/prometheus.yml with static targets instead of DNS discovery.
     */
    void startPrometheus() throws IOException, InterruptedException {
        prometheusPort = freePort();
        String config = """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: api-gateway
                    metrics_path: /actuator/prometheus
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                  - job_name: spanner-coordinator
                    metrics_path: /actuator/prometheus
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                  - job_name: dimse-query-worker
                    metrics_path: /actuator/prometheus
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                  - job_name: dimse-scp-listener
                    metrics_path: /actuator/prometheus
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                  - job_name: rabbitmq
                    metrics_path: /metrics/per-object
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(
                        Repo.path("monitoring/alerts.yml"),
                        gatewayPort,
                        coordinatorPort,
                        workerPort,
                        listenerPort,
                        rabbitPrometheusPort);
        Files.writeString(dir.resolve("prometheus.yml"), config);
        start(
                        "prometheus",
                        Map.of(),
                        "prometheus",
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort)
                .awaitHttpOk(URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready"), START_TIMEOUT);
    }

    HttpResponse<String> prometheus(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .build());
    }

    // --- talking to them ----------------------------------------------------------------------------------------

    HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Api-Key " + adminKey)
                .timeout(Duration.ofSeconds(60))
                .build());
    }

    JsonNode post(String path, String body) {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + path))
                        .header("Authorization", "Api-Key " + adminKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST " + path + ": " + response.statusCode() + " " + response.body());
        }
        return json.readTree(response.body());
    }

    Exposition scrape(int port) {
        HttpResponse<String> response = get(port, "/actuator/prometheus");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("scrape of :" + port + " answered " + response.statusCode());
        }
        return new Exposition(response.body());
    }

    /** RabbitMQ's own metrics, one series per queue. */
    Exposition scrapeRabbitmq() {
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rabbitPrometheusPort + "/metrics/per-object"))
                        .build());
        return new Exposition(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(what + ": not within " + START_TIMEOUT);
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** Starts a process of the fleet in its directory, output to {@code <service>.log} there. */
    private ServiceProcess start(String service, Map<String, String> env, String... command) throws IOException {
        ServiceProcess p = ServiceProcess.builder(service, List.of(command), dir.resolve(service + ".log"))
                .directory(dir)
                .environment(env)
                .stopGrace(STOP_GRACE)
                .start();
        processes.add(p);
        return p;
    }

    private static String jar(String relative) {
        Path jar = Repo.path(relative);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: build the services first (./mvnw -B -o -pl ops-tests -am verify builds them)");
        }
        return jar.toString();
    }

    private static void psql(String sql) {
        must(Command.run(
                Path.of("/"),
                Map.of(),
                Duration.ofSeconds(60),
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-qc",
                sql));
    }

    private static Command must(Command command) {
        if (command.exitCode() != 0) {
            throw new IllegalStateException(command.output());
        }
        return command;
    }

    static int freePort() {
        return FreePorts.one();
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        java.util.Collections.reverse(cleanup);
        RuntimeException failure = null;
        for (Runnable step : cleanup) {
            try {
                step.run();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        Command.run(Path.of("/"), Map.of(), Duration.ofSeconds(30), "rm", "-rf", dir.toString());
        if (failure != null) {
            throw failure;
        }
    }
}
