package io.dicomspanner.systemtest;

import io.dicomspanner.schema.testing.TestDatabase;
import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.PostgresReplicaPair;
import io.dicomspanner.testing.RedisCluster;
import io.dicomspanner.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The spanner of one test class, as the start script runs it (scripts/start_enterprise_spanner.sh): the packaged
 * api-gateway, spanner-coordinator and dimse-query-worker jars as separate OS processes, configured by the same
 * environment variables, sources and configs registered through the admin API.
 *
 * <p>What belongs to the run alone: a PostgreSQL database (created, migrated by the gateway, dropped), a RabbitMQ
 * virtual host (see {@link RabbitVhost} for why), a private redis-server, free ports, and the run directory
 * {@code target/system-tests/<run>/} with one log per process. Register it with {@code @RegisterExtension static}:
 * before the class's {@code @BeforeAll} it starts all that and the gateway; after the class (also when it failed) it
 * stops every process it started and removes the database and the virtual host; when a test or a lifecycle method
 * fails it prints the tail of every log first.
 */
final class Fleet
        implements BeforeAllCallback,
                AfterAllCallback,
                TestExecutionExceptionHandler,
                LifecycleMethodExecutionExceptionHandler {

    /** How long a Spring Boot service may take to report ready (the machine has 2 shared cores). */
    static final Duration SERVICE_STARTUP_TIMEOUT = Duration.ofSeconds(180);
    /** Bound on one HTTP call; synchronous QIDO searches of these tests end well within it. */
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(90);
    /** JVM options of every started service: small heaps and quick start-up on a small machine. */
    static final List<String> SERVICE_JVM_OPTIONS =
            List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

    static final Path GATEWAY_JAR = jar("system-tests.gateway-jar");
    static final Path COORDINATOR_JAR = jar("system-tests.coordinator-jar");
    static final Path WORKER_JAR = jar("system-tests.worker-jar");
    static final Path SIMULATOR_JAR = jar("system-tests.simulator-jar");
    static final Path LISTENER_JAR = jar("system-tests.listener-jar");

    /** The tests' one JSON mapper (admin API bodies, status documents). */
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Which RabbitMQ the run's services use. */
    enum Broker {
        /** A virtual host of the run on the machine's broker, plain AMQP. */
        MACHINE,
        /** A RabbitMQ node of the run's own reachable only over {@code amqps} (TLS 1.3), see {@link RabbitNode}. */
        OWN_NODE_OVER_TLS,
        /**
         * A local 3-node cluster ({@link RabbitCluster}), reached through {@code spring.rabbitmq.addresses}, with quorum
         * durable queues ({@code spanner.messaging.queue-type=quorum}).
         */
        LOCAL_CLUSTER
    }

    private final String label;
    private final Broker broker;
    private final Map<String, String> extraEnvironment = new LinkedHashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<ServiceProcess> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private String runId;
    private Path runDir;
    private TestDatabase database;
    /** Ports of a primary and replica of the run's own, or null: the machine's PostgreSQL. */
    private int[] replicaPairPorts;

    private PostgresReplicaPair replicaPair;
    private RabbitNode rabbitNode;
    private RabbitCluster rabbitCluster;
    private RabbitVhost vhost;
    private RedisServer redis;
    /** First port of the run's Redis Cluster, 0 for the private standalone {@link RedisServer}. */
    private int redisClusterBasePort;

    private RedisCluster redisCluster;
    private String apiKey;
    private String phiSecret;
    /** The run's data key (base64 of 32 random bytes): every service seals its Redis values and messages with it. */
    private String dataKey;

    private ServiceProcess gateway;
    private int gatewayPort;
    private boolean gatewayReady;

    /** @param label short name of the test class's fleet, part of the run id (lower case letters) */
    Fleet(String label) {
        this(label, Broker.MACHINE);
    }

    /** @param label short name of the test class's fleet, part of the run id (lower case letters) */
    Fleet(String label, Broker broker) {
        this.label = label;
        this.broker = broker;
    }

    /**
     * Gives every service of the run these environment variables too (logging levels, settings under test); call
     * before the fleet starts, where the extension is registered.
     */
    Fleet withServiceEnvironment(Map<String, String> environment) {
        extraEnvironment.putAll(environment);
        return this;
    }

    /**
     * Runs the fleet on a local Redis Cluster of 3 masters and 3 replicas (nodes on {@code basePort .. basePort + 5},
     * ACL user and password, no TLS, a node timeout of 3 s) instead of a standalone Redis; call before the fleet
     * starts.
     */
    Fleet withRedisCluster(int basePort) {
        redisClusterBasePort = basePort;
        return this;
    }

    /**
     * Runs the fleet on a PostgreSQL primary and streaming replica of its own ({@link PostgresReplicaPair}) instead of
     * a database on the machine's server: every service writes through a multi-host URL with
     * {@code targetServerType=primary}, and readers read through {@code spanner.read-replica.url} with
     * {@code preferSecondary}. Call before the fleet starts.
     */
    Fleet onReplicaPair(int primaryPort, int replicaPort) {
        replicaPairPorts = new int[] {primaryPort, replicaPort};
        return this;
    }

    /** The run's primary and replica; only with {@link #onReplicaPair}. */
    PostgresReplicaPair replicaPair() {
        if (replicaPair == null) {
            throw new IllegalStateException("this fleet uses the machine's PostgreSQL");
        }
        return replicaPair;
    }

    private static Path jar(String property) {
        String path = System.getProperty(property);
        if (path == null) {
            throw new IllegalStateException("system property " + property + " is not set: run through Maven"
                    + " (./mvnw -B -o -pl system-tests -am verify)");
        }
        return Path.of(path).toAbsolutePath().normalize();
    }

    /** {@code java -jar <jar>} with the JVM that runs the tests. */
    static List<String> javaCommand(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: package the module first (-am does)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(SERVICE_JVM_OPTIONS);
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---- lifecycle ----

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        runId = "spanner_e2e_" + label + "_" + randomHex(4);
        runDir = Path.of(System.getProperty("system-tests.run-dir", "target/system-tests"))
                .resolve(runId)
                .toAbsolutePath();
        Files.createDirectories(runDir);
        apiKey = "e2e-admin-" + randomHex(24);
        phiSecret = randomHex(32);
        dataKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        if (replicaPairPorts != null) {
            replicaPair = track(PostgresReplicaPair.start(replicaPairPorts[0], replicaPairPorts[1]));
            replicaPair.createDatabase(runId);
        } else {
            database = track(TestDatabase.createEmpty(runId));
        }
        if (broker == Broker.OWN_NODE_OVER_TLS) {
            rabbitNode = track(RabbitNode.startOverTls(runId, runDir.resolve("amqp-tls")));
            vhost = track(RabbitVhost.create(rabbitNode.node(), runId));
        } else if (broker == Broker.LOCAL_CLUSTER) {
            rabbitCluster = track(RabbitCluster.start());
            vhost = track(RabbitVhost.create(RabbitCluster.node(1), runId));
        } else {
            vhost = track(RabbitVhost.create(runId));
        }
        if (redisClusterBasePort > 0) {
            redisCluster = track(
                    RedisCluster.start(redisClusterBasePort, runDir.resolve("redis-cluster"), Duration.ofSeconds(3)));
        } else {
            redis = track(RedisServer.start(runDir.resolve("redis-server.log"), runDir.resolve("redis-tls")));
        }
        gatewayPort = FreePorts.one();
        Map<String, String> env = serviceEnvironment(gatewayPort);
        env.put("SPANNER_BOOTSTRAP_API_KEY", apiKey);
        gateway = startProcess("api-gateway", javaCommand(GATEWAY_JAR), env);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Exception first = null;
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        printLogs(context.getDisplayName());
        throw throwable;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        printLogs("@BeforeAll of " + context.getDisplayName());
        throw throwable;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        printLogs("@BeforeEach of " + context.getDisplayName());
        throw throwable;
    }

    private void printLogs(String failed) {
        StringBuilder out = new StringBuilder("\n===== " + failed + " failed; logs of run " + runId + " in " + runDir);
        for (ServiceProcess p : processes) {
            out.append("\n----- ")
                    .append(p)
                    .append(p.isAlive() ? "" : " (ended)")
                    .append(", last ")
                    .append(ServiceProcess.LOG_TAIL_LINES)
                    .append(" lines\n")
                    .append(p.logTail(ServiceProcess.LOG_TAIL_LINES));
        }
        System.out.println(out);
    }

    /**
     * Closes {@code resource} (a PACS peer, a DICOM client) after the class, once every process has stopped, before
     * what the fleet made earlier; also when the class failed. Returns it.
     */
    <T extends AutoCloseable> T closeAfterAll(T resource) {
        return track(resource);
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    // ---- processes ----

    /**
     * The settings every service of the run shares: its database, its virtual host with a RabbitMQ user of its own
     * allowed only the spanner's names there, its Redis with an ACL user and password, its PHI secret.
     */
    private Map<String, String> serviceEnvironment(int httpPort) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", Integer.toString(httpPort));
        if (replicaPair != null) {
            env.put("SPRING_DATASOURCE_URL", replicaPair.multiHostUrl(runId, "primary"));
            env.put("SPANNER_READREPLICA_URL", replicaPair.multiHostUrl(runId, "preferSecondary"));
        } else {
            env.put("SPRING_DATASOURCE_URL", database.url());
        }
        if (rabbitNode != null) {
            // amqps to the run's node, trusting the run's CA through the bundle "amqp" (as the "redis" one below)
            env.put("SPRING_RABBITMQ_HOST", "127.0.0.1");
            env.put("SPRING_RABBITMQ_PORT", Integer.toString(rabbitNode.port()));
            env.put("SPRING_RABBITMQ_SSL_ENABLED", "true");
            env.put("SPRING_RABBITMQ_SSL_BUNDLE", "amqp");
            env.put("SPRING_SSL_BUNDLE_PEM_AMQP_TRUSTSTORE_CERTIFICATE", "file:" + rabbitNode.caCertificate());
        }
        if (rabbitCluster != null) {
            env.put("SPRING_RABBITMQ_ADDRESSES", rabbitCluster.addresses());
            env.put("SPANNER_MESSAGING_QUEUETYPE", "quorum");
        }
        env.put("SPRING_RABBITMQ_VIRTUAL_HOST", vhost.name());
        env.put("SPRING_RABBITMQ_USERNAME", vhost.user());
        env.put("SPRING_RABBITMQ_PASSWORD", vhost.password());
        if (redisCluster != null) {
            // a Lettuce cluster client: the nodes to start from, the ACL user; the topology is found and followed
            env.put("SPRING_DATA_REDIS_CLUSTER_NODES", redisCluster.nodes());
            env.put("SPRING_DATA_REDIS_USERNAME", RedisCluster.USER);
            env.put("SPRING_DATA_REDIS_PASSWORD", redisCluster.password());
        } else {
            env.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
            env.put("SPRING_DATA_REDIS_PORT", Integer.toString(redis.port()));
            env.put("SPRING_DATA_REDIS_USERNAME", RedisServer.USER);
            env.put("SPRING_DATA_REDIS_PASSWORD", redis.password());
            // Redis over TLS, trusting the run's CA through the bundle "redis" (no hyphen: set from the environment)
            env.put("SPRING_DATA_REDIS_SSL_ENABLED", "true");
            env.put("SPRING_DATA_REDIS_SSL_BUNDLE", "redis");
            env.put("SPRING_SSL_BUNDLE_PEM_REDIS_TRUSTSTORE_CERTIFICATE", "file:" + redis.caCertificate());
        }
        env.put("SPANNER_PHI_TOKEN_SECRET", phiSecret);
        env.put("SPANNER_DATA_KEY", dataKey);
        env.putAll(extraEnvironment);
        return env;
    }

    private ServiceProcess startProcess(String name, List<String> command, Map<String, String> env) throws IOException {
        // each instance its own outbox of audit events and query log rows waiting for PostgreSQL
        Map<String, String> instanceEnv = new LinkedHashMap<>(env);
        instanceEnv.put(
                "SPANNER_OUTBOX_DIRECTORY",
                runDir.resolve("outbox").resolve(name).toString());
        ServiceProcess p = ServiceProcess.builder(name, command, runDir.resolve(name + ".log"))
                .environment(instanceEnv)
                .start();
        processes.add(p);
        return p;
    }

    /** A started Spring Boot service with its HTTP (actuator) port. */
    record Service(ServiceProcess process, int port) {
        void kill() throws InterruptedException {
            process.kill();
        }

        void stop() {
            process.close();
        }
    }

    /** Starts a coordinator and waits until it is ready. */
    Service startCoordinator(String name) throws IOException, InterruptedException {
        int port = FreePorts.one();
        Map<String, String> env = serviceEnvironment(port);
        env.put("SPANNER_COORDINATOR_INSTANCE_ID", runId + "-" + name);
        Service service = new Service(startProcess(name, javaCommand(COORDINATOR_JAR), env), port);
        service.process().awaitSpringBootReady(port, SERVICE_STARTUP_TIMEOUT);
        return service;
    }

    /** Starts a worker serving {@code sources} (by id) with extra settings, and waits until it is ready. */
    Service startWorker(String name, Collection<Long> sources, Map<String, String> settings)
            throws IOException, InterruptedException {
        int port = FreePorts.one();
        Map<String, String> env = serviceEnvironment(port);
        env.put("SPANNER_WORKER_SOURCES", sources.stream().map(String::valueOf).collect(Collectors.joining(",")));
        env.putAll(settings);
        Service service = new Service(startProcess(name, javaCommand(WORKER_JAR), env), port);
        service.process().awaitSpringBootReady(port, SERVICE_STARTUP_TIMEOUT);
        return service;
    }

    /** A started DIMSE SCP listener: the service (HTTP port for health and metrics) and the DICOM port it answers on. */
    record Listener(Service service, int dicomPort) {}

    /**
     * Starts a DIMSE SCP listener on 127.0.0.1 and a free DICOM port and waits until it is ready. It reads the configs'
     * {@code scp_ae_title} when it starts and every second after.
     */
    Listener startListener(String name) throws IOException, InterruptedException {
        int port = FreePorts.one();
        int dicomPort = FreePorts.one();
        Map<String, String> env = serviceEnvironment(port);
        env.put("SPANNER_LISTENER_DICOM_BINDADDRESS", "127.0.0.1");
        env.put("SPANNER_LISTENER_DICOM_PORT", Integer.toString(dicomPort));
        env.put("SPANNER_LISTENER_INSTANCE_ID", runId + "-" + name);
        env.put("SPANNER_LISTENER_CONFIGREFRESH", "1s");
        Service service = new Service(startProcess(name, javaCommand(LISTENER_JAR), env), port);
        service.process().awaitSpringBootReady(port, SERVICE_STARTUP_TIMEOUT);
        return new Listener(service, dicomPort);
    }

    /** Starts the simulator with {@code pacsCount} PACS over {@code patients} patients; see {@link SimulatorProcess}. */
    SimulatorProcess startSimulator(int pacsCount, int patients, List<String> options)
            throws IOException, InterruptedException {
        return startSimulator(pacsCount, patients, options, "pacs-simulator");
    }

    /** As {@link #startSimulator(int, int, List)}, for a second simulator process with a name (and log) of its own. */
    SimulatorProcess startSimulator(int pacsCount, int patients, List<String> options, String name)
            throws IOException, InterruptedException {
        SimulatorProcess simulator =
                SimulatorProcess.start(SIMULATOR_JAR, runDir.resolve(name + ".log"), pacsCount, patients, options);
        processes.add(simulator.process());
        return simulator;
    }

    private synchronized void awaitGateway() throws InterruptedException {
        if (!gatewayReady) {
            gateway.awaitSpringBootReady(gatewayPort, SERVICE_STARTUP_TIMEOUT);
            gatewayReady = true;
        }
    }

    /** The run's RabbitMQ cluster; only with {@link Broker#LOCAL_CLUSTER}. */
    RabbitCluster rabbitCluster() {
        if (rabbitCluster == null) {
            throw new IllegalStateException("the fleet runs on " + broker + ", not LOCAL_CLUSTER");
        }
        return rabbitCluster;
    }

    /** The run's own RabbitMQ node; only with {@link Broker#OWN_NODE_OVER_TLS}. */
    RabbitNode rabbitNode() {
        if (rabbitNode == null) {
            throw new IllegalStateException("this fleet uses the machine's broker");
        }
        return rabbitNode;
    }

    /** The run's PostgreSQL database. */
    String databaseName() {
        return replicaPair != null ? runId : database.name();
    }

    /** The run's RabbitMQ virtual host. */
    String virtualHost() {
        return vhost.name();
    }

    /** The user the run's services sign in to RabbitMQ as. */
    String rabbitUser() {
        return vhost.user();
    }

    RedisServer redis() {
        return redis;
    }

    /** The run's Redis Cluster ({@link #withRedisCluster}), null when it runs on a standalone Redis. */
    RedisCluster redisCluster() {
        return redisCluster;
    }

    /** {@code target/system-tests/<run>/}: the logs, and room for files a test makes. */
    Path runDir() {
        return runDir;
    }

    // ---- HTTP ----

    /** The run's api-gateway, for its metrics. */
    Service gateway() {
        return new Service(gateway, gatewayPort);
    }

    /** GET on the gateway with the run's API key; {@code pathAndQuery} starts with {@code /}. */
    HttpAnswer get(String pathAndQuery) throws IOException, InterruptedException {
        awaitGateway();
        return send(HttpRequest.newBuilder(gatewayUri(pathAndQuery))
                .header("Authorization", "Api-Key " + apiKey)
                .GET());
    }

    /**
     * The source's health (`/api/v1/sources/{id}/health`) once a check that started at or after {@code since} is
     * recorded; fails after 60 s.
     */
    JsonNode sourceHealthCheckedSince(long sourceId, Instant since) throws Exception {
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpAnswer health = get("/api/v1/sources/" + sourceId + "/health");
            if (health.status() == 200) {
                JsonNode h = health.json();
                // "unknown" (nothing recorded yet) has no started_at
                JsonNode startedAt = h.get("started_at");
                if (startedAt != null && !Instant.parse(startedAt.asString()).isBefore(since)) {
                    return h;
                }
            }
            if (System.nanoTime() >= giveUp) {
                throw new AssertionError("no health check of source " + sourceId + " since " + since + " in 60 s");
            }
            Thread.sleep(250);
        }
    }

    /** GET on a service's actuator, e.g. {@code /actuator/prometheus}. */
    HttpAnswer actuator(Service service, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .GET());
    }

    /** POST of a JSON body to the admin API; the answer must be 201. */
    JsonNode post(String path, Map<String, ?> body) throws IOException, InterruptedException {
        return post(path, body, 201);
    }

    /** POST of a JSON body to the gateway's API; the answer must have status {@code expected}. */
    JsonNode post(String path, Map<String, ?> body, int expected) throws IOException, InterruptedException {
        awaitGateway();
        HttpAnswer answer = send(HttpRequest.newBuilder(gatewayUri(path))
                .header("Authorization", "Api-Key " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        if (answer.status() != expected) {
            throw new IllegalStateException("POST " + path + " " + body + " answered " + answer);
        }
        return answer.json();
    }

    /** POST of a JSON body to the gateway's API with the run's key: the whole answer, whatever its status. */
    HttpAnswer postAnswer(String path, Map<String, ?> body) throws IOException, InterruptedException {
        awaitGateway();
        return send(HttpRequest.newBuilder(gatewayUri(path))
                .header("Authorization", "Api-Key " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private URI gatewayUri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + gatewayPort + pathAndQuery);
    }

    private HttpAnswer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response =
                http.send(request.timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
        return new HttpAnswer(response.statusCode(), response.headers(), response.body());
    }

    // ---- admin API (docs/api.md), with the start script's settings ----

    /**
     * Registers a DICOM source as the start script does (calling AE SPANNER, 4 associations), with {@code extra}
     * fields overriding; returns its id.
     */
    long registerSource(String name, String aeTitle, String host, int port, Map<String, Object> extra)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("ae_title", aeTitle);
        body.put("host", host);
        body.put("port", port);
        body.put("calling_ae_title", "SPANNER");
        body.put("max_associations", 4);
        body.put("query_timeout_seconds", 20);
        body.put("tls", false);
        body.put("information_models", List.of("study_root", "patient_root"));
        body.putAll(extra);
        return post("/api/v1/sources/", body).get("id").asLong();
    }

    /** Creates a spanner config (fields as in docs/api.md, e.g. {@code failure_strategy}); returns its id. */
    long createConfig(String name, Map<String, Object> fields) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.putAll(fields);
        return post("/api/v1/config/spanner/", body).get("id").asLong();
    }

    /**
     * The fields of a config whose answers are compared with each PACS asked alone: every source that answers counts
     * ({@code partial_results}), records de-duplicated {@code first_wins} by mapping priority, 30 s, nothing cached;
     * {@code extra} adds fields (e.g. {@code scp_ae_title}).
     */
    static Map<String, Object> comparedConfig(Map<String, Object> extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("failure_strategy", "partial_results");
        fields.put("deduplication_enabled", true);
        fields.put("deduplication_strategy", "first_wins");
        fields.put("timeout_seconds", 30);
        fields.put("cache_ttl_seconds", 0);
        fields.putAll(extra);
        return fields;
    }

    /** Maps source ids into a config with priorities 1, 2, 3 ... in the order given. */
    void mapSources(long configId, List<Long> sourceIds) throws IOException, InterruptedException {
        int priority = 1;
        for (long sourceId : sourceIds) {
            mapSource(configId, sourceId, priority++, Map.of());
        }
    }

    /** Maps one source into a config; {@code extra} adds mapping fields such as {@code timeout_override}. */
    void mapSource(long configId, long sourceId, int priority, Map<String, Object> extra)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source_type", "modality");
        body.put("source_id", sourceId);
        body.put("priority", priority);
        body.putAll(extra);
        post("/api/v1/config/spanner/" + configId + "/sources/", body);
    }

    /**
     * The sum of every sample of {@code metric} in a Prometheus scrape whose labels include {@code label} (e.g.
     * {@code source="3"}; empty for all); 0 when there is none.
     */
    static double metric(String scrape, String metric, String label) {
        double sum = 0;
        for (String line : scrape.lines().toList()) {
            int space = line.lastIndexOf(' ');
            if (line.startsWith("#") || space < 0) {
                continue;
            }
            String series = line.substring(0, space);
            String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
            if (name.equals(metric) && series.contains(label)) {
                sum += Double.parseDouble(line.substring(space + 1));
            }
        }
        return sum;
    }

    /** {@link #metric(String, String, String)} from a fresh scrape of {@code service}'s {@code /actuator/prometheus}. */
    double metric(Service service, String metric, String label) throws IOException, InterruptedException {
        HttpAnswer scrape = actuator(service, "/actuator/prometheus");
        if (scrape.status() != 200) {
            throw new IllegalStateException("scrape of " + service.process() + " answered " + scrape);
        }
        return metric(scrape.text(), metric, label);
    }

    @Override
    public String toString() {
        return "fleet " + runId + " (" + runDir + ")";
    }
}
