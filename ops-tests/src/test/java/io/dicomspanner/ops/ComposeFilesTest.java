package io.dicomspanner.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.testing.Command;
import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose files as `docker-compose config` (no Docker engine needed) resolves them, the edge proxy's config as
 * haproxy checks it, and the image recipe.
 */
class ComposeFilesTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final List<String> SCALED =
            List.of("api-gateway", "spanner-coordinator", "dimse-query-worker", "dimse-scp-listener");
    private static final Pattern SETTING = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?([-?])([^}]*))?}");

    /** As `docker-compose config` prints it: "$$" is the "$" the container's shell sees. */
    private static final List<String> HEALTHCHECK = List.of(
            "CMD-SHELL",
            "redis-cli --user \"$$SPANNER_REDIS_USER\" --pass \"$$SPANNER_REDIS_PASSWORD\" --no-auth-warning ping"
                    + " | grep -qx PONG");

    private static final String EDGE_PEM = "/usr/local/etc/haproxy/tls/edge.pem";
    private static final String CLUSTER = "docker-compose.cluster.yml";
    private static final List<String> CLUSTERED = List.of("docker-compose.enterprise.yml", CLUSTER);

    private Path envFile;

    @BeforeEach
    void envFileFromTheExampleWithSecretsSet() throws IOException {
        envFile = Files.createTempFile("ops-compose", ".env");
        String example = Repo.read(".env.example")
                .replace("SPANNER_BOOTSTRAP_API_KEY=\n", "SPANNER_BOOTSTRAP_API_KEY=" + "k".repeat(40) + "\n")
                .replace("SPANNER_PHI_TOKEN_SECRET=\n", "SPANNER_PHI_TOKEN_SECRET=" + "s".repeat(40) + "\n")
                .replace("SPANNER_DATA_KEY=\n", "SPANNER_DATA_KEY=" + "A".repeat(43) + "=\n")
                .replace("GRAFANA_ADMIN_PASSWORD=\n", "GRAFANA_ADMIN_PASSWORD=grafana-test\n")
                .replace("SPANNER_RABBITMQ_PASSWORD=\n", "SPANNER_RABBITMQ_PASSWORD=rabbitmq-services-test\n")
                .replace("RABBITMQ_PASSWORD=\n", "RABBITMQ_PASSWORD=rabbitmq-admin-test\n")
                .replace("SPANNER_REDIS_PASSWORD=\n", "SPANNER_REDIS_PASSWORD=redis-test\n")
                .replace("RABBITMQ_ERLANG_COOKIE=\n", "RABBITMQ_ERLANG_COOKIE=" + "c".repeat(32) + "\n")
                .replace("POSTGRES_REPLICATION_PASSWORD=\n", "POSTGRES_REPLICATION_PASSWORD=replication-test\n");
        Files.writeString(envFile, example);
    }

    @AfterEach
    void deleteEnvFile() throws IOException {
        Files.deleteIfExists(envFile);
    }

    private Command config(String file, Path env) {
        return config(List.of(file), env);
    }

    /** `docker-compose config` of {@code files} laid over each other in order. */
    private Command config(List<String> files, Path env) {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--project-name", "opstest"));
        for (String file : files) {
            command.addAll(List.of("-f", file));
        }
        command.addAll(List.of("--env-file", env.toString(), "config"));
        return Command.run(Repo.root(), Map.of(), TIMEOUT, command);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> services(String file) {
        return services(file, envFile);
    }

    private Map<String, Map<String, Object>> services(String file, Path env) {
        return services(List.of(file), env);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> services(List<String> files, Path env) {
        Command config = config(files, env);
        assertThat(config.exitCode()).as(config.output()).isZero();
        Map<String, Object> resolved = new Yaml().load(config.out());
        return (Map<String, Map<String, Object>>) resolved.get("services");
    }

    @Test
    void theEnterpriseFileHasEveryServiceOfTheIssue() {
        assertThat(services("docker-compose.enterprise.yml").keySet())
                .containsExactlyInAnyOrder(
                        "postgres",
                        "redis",
                        "rabbitmq",
                        "api-gateway",
                        "spanner-coordinator",
                        "dimse-query-worker",
                        "dimse-scp-listener",
                        "edge",
                        "prometheus",
                        "grafana",
                        "pacs-simulator");
    }

    @Test
    void scaledServicesHaveNoContainerNameAndNoHostPortsAndTheEdgePublishesHttpsLocalHttpAndDicom() {
        Map<String, Map<String, Object>> services = services("docker-compose.enterprise.yml");

        for (String name : SCALED) {
            assertThat(services.get(name)).as(name).doesNotContainKeys("container_name", "ports");
        }
        assertThat(services.values()).allSatisfy(s -> assertThat(s).doesNotContainKey("container_name"));
        assertThat(services.get("edge").get("ports").toString())
                .isEqualTo("[{published=8443, target=8443}, 127.0.0.1:8001:8001/tcp, {published=11112, target=11112},"
                        + " {published=2762, target=2762}, 127.0.0.1:8404:8404/tcp]");
    }

    @Test
    void theSimulatedFleetRunsOnlyUnderItsProfile() {
        Map<String, Map<String, Object>> services = services("docker-compose.enterprise.yml");

        assertThat(services.get("pacs-simulator").get("profiles")).isEqualTo(List.of("simulator"));
        services.entrySet().stream()
                .filter(e -> !e.getKey().equals("pacs-simulator"))
                .forEach(e -> assertThat(e.getValue()).as(e.getKey()).doesNotContainKey("profiles"));
    }

    @Test
    void rabbitmqAppliesTheQueuePoliciesAtStartAndRunsTheManagementAndPrometheusPlugins() {
        Map<String, Object> rabbitmq = services("docker-compose.enterprise.yml").get("rabbitmq");

        assertThat(rabbitmq.get("entrypoint")).isEqualTo(List.of("/bin/sh", "/opt/spanner/start.sh"));
        assertThat(rabbitmq.get("volumes").toString())
                .contains(
                        "docker/rabbitmq/start.sh",
                        "docker/rabbitmq/apply-policies.sh",
                        "docker/rabbitmq/services-user.sh",
                        "enabled_plugins");
        assertThat(Repo.read("docker/rabbitmq/enabled_plugins").strip())
                .isEqualTo("[rabbitmq_management,rabbitmq_prometheus].");
    }

    @Test
    void withoutTheSecretsComposeRefusesToStart() throws IOException {
        Path empty = Files.createTempFile("ops-compose-empty", ".env");
        try {
            Command config = config("docker-compose.enterprise.yml", empty);

            assertThat(config.exitCode()).isNotZero();
            assertThat(config.err()).contains("set SPANNER_");
        } finally {
            Files.delete(empty);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceSignsInToRabbitmqAndRedisAsTheSpannersOwnUsersNeverAsGuest() {
        Map<String, Map<String, String>> given = Map.of(
                "docker-compose.enterprise.yml",
                Map.of("rabbitmq", "rabbitmq-services-test", "admin", "rabbitmq-admin-test", "redis", "redis-test"),
                "docker-compose.yml",
                Map.of(
                        "rabbitmq",
                        "development-only-rabbitmq-password",
                        "admin",
                        "development-only-rabbitmq-admin-password",
                        "redis",
                        "development-only-redis-password"));
        for (String file : given.keySet()) {
            Map<String, String> password = given.get(file);
            // the development file has defaults of its own: with an empty .env it uses them
            Map<String, Map<String, Object>> services =
                    services(file, file.equals("docker-compose.yml") ? emptyEnvFile() : envFile);
            for (String name : SCALED) {
                Map<String, Object> env =
                        (Map<String, Object>) services.get(name).get("environment");
                assertThat(env)
                        .as(file + " " + name)
                        .containsEntry("SPRING_RABBITMQ_USERNAME", "spanner")
                        .containsEntry("SPRING_RABBITMQ_PASSWORD", password.get("rabbitmq"));
                if (!name.equals("dimse-scp-listener")) { // the listener uses no Redis
                    assertThat(env)
                            .as(file + " " + name)
                            .containsEntry("SPRING_DATA_REDIS_USERNAME", "spanner")
                            .containsEntry("SPRING_DATA_REDIS_PASSWORD", password.get("redis"));
                }
            }
            Map<String, Object> rabbitmq = services.get("rabbitmq");
            assertThat((Map<String, Object>) rabbitmq.get("environment"))
                    .as(file)
                    .containsEntry("RABBITMQ_DEFAULT_USER", "spanner-admin")
                    .containsEntry("RABBITMQ_DEFAULT_PASS", password.get("admin"))
                    .containsEntry("SPANNER_RABBITMQ_USER", "spanner")
                    .containsEntry("SPANNER_RABBITMQ_PASSWORD", password.get("rabbitmq"));
            assertThat(services.toString()).as(file).doesNotContainIgnoringCase("guest");
            Map<String, Object> redis = services.get("redis");
            String command = String.join(" ", (List<String>) redis.get("command"));
            assertThat(command)
                    .as(file)
                    .endsWith(" --user default off --user spanner on >" + password.get("redis") + " ~* &* +@all");
            assertThat(((Map<String, Object>) redis.get("healthcheck")).get("test"))
                    .as(file)
                    .isEqualTo(HEALTHCHECK);
            assertThat((Map<String, Object>) redis.get("environment"))
                    .as(file)
                    .isEqualTo(
                            Map.of("SPANNER_REDIS_USER", "spanner", "SPANNER_REDIS_PASSWORD", password.get("redis")));
        }
    }

    @Test
    void withoutTheBrokerAndRedisPasswordsTheEnterpriseFileRefusesToStartNamingEach() throws IOException {
        for (String secret : List.of("SPANNER_RABBITMQ_PASSWORD", "RABBITMQ_PASSWORD", "SPANNER_REDIS_PASSWORD")) {
            assertRefusedWithout(List.of("docker-compose.enterprise.yml"), secret);
        }
    }

    /** `docker-compose config` of {@code files} with {@code secret} empty fails, naming it and where to set it. */
    private void assertRefusedWithout(List<String> files, String secret) throws IOException {
        Path env = Files.createTempFile("ops-compose-no-" + secret, ".env");
        try {
            Files.writeString(env, Files.readString(envFile).replaceAll("(?m)^" + secret + "=.*$", secret + "="));
            Command config = config(files, env);

            assertThat(config.exitCode()).as(secret).isNotZero();
            assertThat(config.err()).contains("set " + secret + " in .env (see .env.example)");
        } finally {
            Files.delete(env);
        }
    }

    /** The Redis of the compose files, run here as compose would run it, refuses anyone but its ACL user. */
    @Test
    @SuppressWarnings("unchecked")
    void composesRedisRefusesAnonymousClientsAndItsHealthCheckSignsIn() throws Exception {
        Map<String, Object> redis = services("docker-compose.enterprise.yml").get("redis");
        int port = FreePorts.one();
        Path dir = Files.createTempDirectory("ops-redis");
        List<String> command = new ArrayList<>((List<String>) redis.get("command"));
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString()));
        Process server = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        try {
            assertThat(((Map<String, Object>) redis.get("healthcheck")).get("test"))
                    .isEqualTo(HEALTHCHECK);
            // the health check as the container runs it (its environment), pointed at this port
            String healthcheck =
                    HEALTHCHECK.get(1).replace("$$", "$").replace("redis-cli ", "redis-cli -p " + port + " ");
            Map<String, String> redisEnv = (Map<String, String>) redis.get("environment");
            for (int attempt = 0; attempt < 100 && !ready(port); attempt++) {
                Thread.sleep(100);
            }
            Command health = healthcheck(healthcheck, redisEnv);

            assertThat(health.exitCode()).as(health.output()).isZero();
            Command anonymous = redisCli(List.of("redis-cli", "-p", Integer.toString(port), "ping"));
            assertThat(anonymous.out() + anonymous.err()).startsWith("NOAUTH Authentication required.");
            Command wrong = healthcheck(
                    healthcheck, Map.of("SPANNER_REDIS_USER", "spanner", "SPANNER_REDIS_PASSWORD", "not-the-password"));
            assertThat(wrong.exitCode())
                    .as("the health check fails on a wrong password")
                    .isEqualTo(1);
            Command otherUser = healthcheck(
                    healthcheck, Map.of("SPANNER_REDIS_USER", "default", "SPANNER_REDIS_PASSWORD", "redis-test"));
            assertThat(otherUser.exitCode()).as("the default user is off").isEqualTo(1);
        } finally {
            server.destroy();
            server.waitFor();
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static Command healthcheck(String shell, Map<String, String> env) {
        return Command.run(Repo.root(), env, TIMEOUT, "sh", "-c", shell);
    }

    private static boolean ready(int port) {
        return !redisCli(List.of("redis-cli", "-p", Integer.toString(port), "ping"))
                .err()
                .contains("Connection refused");
    }

    private static Command redisCli(List<String> command) {
        return Command.run(Repo.root(), Map.of(), TIMEOUT, command);
    }

    /**
     * The script the rabbitmq container runs at every start, here against this machine's broker on a virtual host of
     * the test: the services' user gets exactly the spanner's names, and a second start sets the new password.
     */
    @Test
    void theServicesRabbitmqUserMayUseTheSpannersNamesOnly() {
        String suffix = Long.toString(ProcessHandle.current().pid());
        String user = "opstest-services-" + suffix;
        String vhost = "opstest-vhost-" + suffix;
        assertThat(rabbitmqctl("add_vhost", vhost).exitCode()).isZero();
        try {
            assertThat(servicesUser(user, "first-password", vhost).exitCode()).isZero();
            Command again = servicesUser(user, "second-password", vhost);

            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(again.out())
                    .isEqualTo(
                            "services-user: " + user + " may use the spanner's names on virtual host " + vhost + "\n");
            assertThat(rabbitmqctl("-q", "--no-table-headers", "list_user_permissions", user)
                            .out())
                    .isEqualTo(vhost + "\t^spanner\\..*\t^(spanner\\..*|amq\\.default)$\t^spanner\\..*\n");
            assertThat(rabbitmqctl("-q", "--no-table-headers", "list_users")
                            .out()
                            .split("\n"))
                    .as("a user without tags: no management UI, no administration")
                    .contains(user + "\t[]");
            assertThat(rabbitmqctl("-q", "authenticate_user", user, "second-password")
                            .exitCode())
                    .isZero();
            assertThat(rabbitmqctl("-q", "authenticate_user", user, "first-password")
                            .exitCode())
                    .isNotZero();
            // the broker's health check (after the port check) passes once the services' user signs in
            String check =
                    healthcheckOf(services("docker-compose.enterprise.yml").get("rabbitmq"));
            assertThat(check)
                    .isEqualTo("rabbitmq-diagnostics -q check_port_connectivity && rabbitmqctl -q authenticate_user"
                            + " \"$SPANNER_RABBITMQ_USER\" \"$SPANNER_RABBITMQ_PASSWORD\" > /dev/null");
            String signIn = check.substring(check.indexOf("&& ") + 3);
            assertThat(signIn(signIn, user, "second-password").exitCode()).isZero();
            assertThat(signIn(signIn, user, "first-password").exitCode()).isNotZero();
        } finally {
            rabbitmqctl("delete_user", user);
            rabbitmqctl("delete_vhost", vhost);
        }
    }

    /** The shell command of a CMD-SHELL health check, with compose's "$$" as the "$" the container's shell sees. */
    @SuppressWarnings("unchecked")
    private static String healthcheckOf(Map<String, Object> service) {
        List<String> test = (List<String>) ((Map<String, Object>) service.get("healthcheck")).get("test");
        assertThat(test.get(0)).isEqualTo("CMD-SHELL");
        return test.get(1).replace("$$", "$");
    }

    private static Command signIn(String shell, String user, String password) {
        return healthcheck(shell, Map.of("SPANNER_RABBITMQ_USER", user, "SPANNER_RABBITMQ_PASSWORD", password));
    }

    private static Command servicesUser(String user, String password, String vhost) {
        return Command.run(
                Repo.root(),
                Map.of(
                        "SPANNER_RABBITMQ_USER", user,
                        "SPANNER_RABBITMQ_PASSWORD", password,
                        "SPANNER_RABBITMQ_VHOST", vhost),
                TIMEOUT,
                "docker/rabbitmq/services-user.sh");
    }

    private static Command rabbitmqctl(String... args) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(args));
        return Command.run(Repo.root(), Map.of(), TIMEOUT, command);
    }

    private static Path emptyEnvFile() {
        try {
            Path empty = Files.createTempFile("ops-compose-empty", ".env");
            empty.toFile().deleteOnExit();
            return empty;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theDevelopmentFileValidatesAndPublishesTheLocalPorts() {
        Map<String, Map<String, Object>> services = services("docker-compose.yml");

        assertThat(services.get("postgres").get("ports")).isEqualTo(List.of("127.0.0.1:5432:5432/tcp"));
        assertThat(services.get("rabbitmq").get("ports"))
                .isEqualTo(
                        List.of("127.0.0.1:5672:5672/tcp", "127.0.0.1:15672:15672/tcp", "127.0.0.1:15692:15692/tcp"));
        assertThat(services.get("api-gateway").get("profiles")).isEqualTo(List.of("services"));
    }

    @Test
    void everySettingOfTheComposeFilesIsInEnvExampleWithTheEnterpriseDefault() {
        Map<String, String> example = new TreeMap<>();
        for (String line : Repo.read(".env.example").split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                example.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        Map<String, String> enterpriseDefaults = new LinkedHashMap<>();
        Matcher m = SETTING.matcher(Repo.read("docker-compose.enterprise.yml") + Repo.read(CLUSTER));
        while (m.find()) {
            // "?" marks a required secret: no default, an empty line in .env.example
            enterpriseDefaults.put(m.group(1), "?".equals(m.group(2)) ? "" : m.group(3) == null ? "" : m.group(3));
        }
        Matcher dev = SETTING.matcher(Repo.read("docker-compose.yml"));
        while (dev.find()) {
            assertThat(example).as("docker-compose.yml uses " + dev.group(1)).containsKey(dev.group(1));
        }

        assertThat(example).containsAllEntriesOf(enterpriseDefaults);
        assertThat(enterpriseDefaults.keySet()).containsAll(example.keySet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theListenerIsConfiguredWithSettingsItHasAndTheEdgeReachesItsPorts() {
        Map<String, Object> yaml = new Yaml().load(Repo.read("dimse-scp-listener/src/main/resources/application.yaml"));
        Map<String, String> settings = new TreeMap<>();
        flatten("", yaml, settings);
        // Spring's relaxed binding: spanner.listener.dicom.max-associations <- SPANNER_LISTENER_DICOM_MAXASSOCIATIONS
        List<String> known = new ArrayList<>(settings.keySet().stream()
                .map(k -> k.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT))
                .toList());
        // and the placeholders application.yaml reads itself (${SPANNER_LISTENER_PORT:11112})
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z0-9_]+):")
                .matcher(Repo.read("dimse-scp-listener/src/main/resources/application.yaml"));
        while (placeholder.find()) {
            known.add(placeholder.group(1));
        }
        known.add("JAVA_TOOL_OPTIONS");
        // the SSL bundle: its name has a hyphen, which an environment variable's name cannot carry
        known.add("SPRING_APPLICATION_JSON");

        for (String file : List.of("docker-compose.enterprise.yml", "docker-compose.yml")) {
            Map<String, Object> listener = services(file).get("dimse-scp-listener");
            assertThat(known).as(file).containsAll(((Map<String, Object>) listener.get("environment")).keySet());
        }
        Map<String, Object> enterprise = (Map<String, Object>) services("docker-compose.enterprise.yml")
                .get("dimse-scp-listener")
                .get("environment");
        assertThat(enterprise)
                .containsEntry("SPANNER_LISTENER_PORT", "11112")
                .containsEntry("SPANNER_LISTENER_DICOM_MAXASSOCIATIONS", "256")
                .containsEntry("SPANNER_LISTENER_SPAN_MAXQUERIESINFLIGHT", "1000");
        // the development file publishes the defaults
        assertThat(settings).containsEntry("spanner.listener.dicom.port", "${SPANNER_LISTENER_PORT:11112}");
        assertThat(services("docker-compose.yml")
                        .get("dimse-scp-listener")
                        .get("ports")
                        .toString())
                .isEqualTo("[127.0.0.1:8004:8004/tcp, 127.0.0.1:11112:11112/tcp]");
        assertThat(settings).containsEntry("server.port", "8004");
        assertThat(Repo.read("docker/haproxy/haproxy.cfg"))
                .contains(
                        "\n  bind :11112\n", "\n  server-template listener 1-32 dimse-scp-listener:11112 port 8004\n");
        assertThat(Repo.read("monitoring/prometheus.yml"))
                .contains("names: [dimse-scp-listener]\n        type: A\n        port: 8004\n");
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Map<String, String> out) {
        map.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                flatten(prefix + key + ".", (Map<String, Object>) nested, out);
            } else {
                out.put(prefix + key, String.valueOf(value));
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void theListenerServesDicomTlsWhichTheEdgePassesThroughAndTheWorkerAndSimulatedPacsGetTheirCertificates() {
        Map<String, Map<String, Object>> services = services("docker-compose.enterprise.yml");
        Map<String, Object> listener =
                (Map<String, Object>) services.get("dimse-scp-listener").get("environment");
        assertThat(listener)
                .containsEntry("SPANNER_LISTENER_TLS_MODE", "on")
                .containsEntry("SPANNER_LISTENER_TLS_PORT", "2762");
        assertThat(listener.get("SPRING_APPLICATION_JSON").toString())
                .contains("\"dicom-server\":{\"reload-on-update\":true,\"keystore\":{\"certificate\":"
                        + "\"file:/etc/spanner/tls/server.pem\",\"private-key\":\"file:/etc/spanner/tls/server-key.pem\"},"
                        + "\"truststore\":{\"certificate\":\"file:/etc/spanner/tls/ca.pem\"}}");
        Map<String, Object> worker =
                (Map<String, Object>) services.get("dimse-query-worker").get("environment");
        assertThat(worker.get("SPRING_APPLICATION_JSON").toString())
                .contains("\"dicom-client\":{\"reload-on-update\":true,\"keystore\":{\"certificate\":"
                        + "\"file:/etc/spanner/tls/client.pem\",\"private-key\":\"file:/etc/spanner/tls/client-key.pem\"},"
                        + "\"truststore\":{\"certificate\":\"file:/etc/spanner/tls/ca.pem\"}}");
        for (String name : List.of("dimse-scp-listener", "dimse-query-worker", "pacs-simulator")) {
            assertThat(services.get(name).get("volumes").toString())
                    .as(name)
                    .contains(Repo.root() + "/run/tls:/etc/spanner/tls:ro");
        }
        assertThat(services.get("pacs-simulator").get("command").toString())
                .contains("--tls-pacs, PACS_H, --tls-cert, /etc/spanner/tls/server.pem, --tls-key,"
                        + " /etc/spanner/tls/server-key.pem, --tls-ca, /etc/spanner/tls/ca.pem");
        assertThat(Repo.read("docker/haproxy/haproxy.cfg"))
                .contains("\nfrontend dimse-tls\n  bind :2762\n  mode tcp\n")
                .contains("\n  server-template listener-tls 1-32 dimse-scp-listener:2762 port 8004\n");
    }

    @Test
    void theEdgeProxyConfigIsValidWithACertificateInPlace() throws Exception {
        Path dir = Files.createTempDirectory("ops-edge");
        TestPki pki = TestPki.create(dir, "edge");
        Path edgePem = pki.combined(pki.server("spanner.example.org"));
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, Repo.read("docker/haproxy/haproxy.cfg").replace(EDGE_PEM, edgePem.toString()));

        Command check = Command.run(Repo.root(), Map.of(), TIMEOUT, "haproxy", "-c", "-f", config.toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.out() + check.err()).contains("Configuration file is valid");
    }

    @Test
    void theEdgeEndsTls13ForTheApiAndForwardsTheClientAndTheScheme() {
        String config = Repo.read("docker/haproxy/haproxy.cfg");

        assertThat(config)
                .contains("\n  ssl-default-bind-options ssl-min-ver TLSv1.3\n")
                .contains("\nfrontend api-https\n  bind :8443 ssl crt " + EDGE_PEM
                        + " ssl-min-ver TLSv1.3 alpn http/1.1\n"
                        + "  mode http\n  option httplog\n  http-request del-header X-Forwarded-For\n"
                        + "  http-request set-header X-Forwarded-Proto https\n  option forwardfor\n"
                        + "  default_backend api-gateway\n");
        Map<String, Object> edge = services("docker-compose.enterprise.yml").get("edge");
        assertThat(edge.get("volumes").toString()).contains(Repo.root() + "/run/tls:/usr/local/etc/haproxy/tls:ro");
        Map<String, Object> gateway = services("docker-compose.enterprise.yml").get("api-gateway");
        assertThat(gateway.get("environment").toString()).contains("SPANNER_EDGE_TRUSTEDPROXIES=172.28.0.10");
        assertThat(edge.get("networks").toString()).isEqualTo("{spanner={ipv4_address=172.28.0.10}}");
    }

    @Test
    void withoutItsCertificateTheEdgeConfigIsRefusedNamingTheFile() {
        Command check =
                Command.run(Repo.root(), Map.of(), TIMEOUT, "haproxy", "-c", "-f", "docker/haproxy/haproxy.cfg");

        assertThat(check.exitCode()).as(check.output()).isNotZero();
        assertThat(check.out() + check.err()).contains(EDGE_PEM);
    }

    @Test
    void theImageRunsAsANonRootUserFromAJreWithAHealthCheck() {
        String dockerfile = Repo.read("docker/Dockerfile");

        assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre\n", "\nUSER 10001:10001\n");
        assertThat(dockerfile).containsPattern("\nHEALTHCHECK .*CMD \\[\"/usr/local/bin/healthcheck\"]\n");
        assertThat(dockerfile).contains("-XX:MaxRAMPercentage=75");
        for (String module : List.of(
                "api-gateway", "spanner-coordinator", "dimse-query-worker", "dimse-scp-listener", "pacs-simulator")) {
            assertThat(Repo.read("docker-compose.enterprise.yml")).contains("MODULE: " + module + ",");
        }
    }

    @Test
    void theDurableQueuesAreQuorumQueuesByDefaultInTheEnterpriseFile() {
        Map<String, Map<String, Object>> services = services("docker-compose.enterprise.yml");

        for (String name : SCALED) {
            assertThat(environment(services, name)).as(name).containsEntry("SPANNER_MESSAGING_QUEUETYPE", "quorum");
        }
    }

    @Test
    void theClusterOverlayAddsTwoRabbitmqNodesFiveRedisNodesTheClusterMakerAndAReplica() {
        Map<String, Map<String, Object>> services = services(CLUSTERED, envFile);

        assertThat(services.keySet())
                .containsExactlyInAnyOrder(
                        "postgres",
                        "postgres-replica",
                        "redis",
                        "redis-2",
                        "redis-3",
                        "redis-4",
                        "redis-5",
                        "redis-6",
                        "redis-cluster-init",
                        "rabbitmq",
                        "rabbitmq-2",
                        "rabbitmq-3",
                        "api-gateway",
                        "spanner-coordinator",
                        "dimse-query-worker",
                        "dimse-scp-listener",
                        "edge",
                        "prometheus",
                        "grafana",
                        "pacs-simulator");
        for (String redis : List.of("redis", "redis-2", "redis-3", "redis-4", "redis-5", "redis-6")) {
            assertThat(String.join(" ", command(services, redis)))
                    .as(redis)
                    .startsWith("redis-server --cluster-enabled yes --cluster-config-file /data/nodes.conf"
                            + " --cluster-node-timeout 5000 ")
                    .contains(" --user default off --user spanner on >redis-test ~* &* +@all ")
                    .endsWith(" --masteruser spanner --masterauth redis-test");
        }
        for (String rabbitmq : List.of("rabbitmq", "rabbitmq-2", "rabbitmq-3")) {
            assertThat(environment(services, rabbitmq))
                    .as(rabbitmq)
                    .containsEntry("SPANNER_RABBITMQ_ERLANG_COOKIE", "c".repeat(32))
                    .containsEntry("SPANNER_RABBITMQ_USER", "spanner");
            assertThat(services.get(rabbitmq).get("volumes").toString())
                    .as(rabbitmq)
                    .contains(Repo.root() + "/docker/rabbitmq/cluster.conf:/etc/rabbitmq/conf.d/20-cluster.conf:ro");
        }
        assertThat(services.get("rabbitmq-2").get("hostname")).isEqualTo("rabbitmq-2");
        assertThat(services.get("rabbitmq-3").get("hostname")).isEqualTo("rabbitmq-3");
        assertThat(Repo.read("docker/rabbitmq/cluster.conf"))
                .contains(
                        "cluster_formation.classic_config.nodes.1 = rabbit@rabbitmq\n",
                        "cluster_formation.classic_config.nodes.2 = rabbit@rabbitmq-2\n",
                        "cluster_formation.classic_config.nodes.3 = rabbit@rabbitmq-3\n");
        assertThat(environment(services, "postgres-replica"))
                .containsEntry("SPANNER_PRIMARY_HOST", "postgres")
                .containsEntry("SPANNER_REPLICATION_USER", "replicator")
                .containsEntry("SPANNER_REPLICATION_PASSWORD", "replication-test");
        assertThat(services.get("postgres").get("volumes").toString())
                .contains(Repo.root()
                        + "/docker/postgres/replication.sh:/docker-entrypoint-initdb.d/50-replication.sh:ro");
    }

    @Test
    @SuppressWarnings("unchecked")
    void withTheClusterOverlayEveryServiceKnowsEveryNodeAndWritesOnlyToThePrimary() {
        Map<String, Map<String, Object>> services = services(CLUSTERED, envFile);

        for (String name : SCALED) {
            assertThat(environment(services, name))
                    .as(name)
                    .containsEntry("SPRING_RABBITMQ_ADDRESSES", "rabbitmq:5672,rabbitmq-2:5672,rabbitmq-3:5672")
                    .containsEntry(
                            "SPRING_DATA_REDIS_CLUSTER_NODES",
                            "redis:6379,redis-2:6379,redis-3:6379,redis-4:6379,redis-5:6379,redis-6:6379")
                    .containsEntry(
                            "SPRING_DATASOURCE_URL",
                            "jdbc:postgresql://postgres:5432,postgres-replica:5432/spanner?targetServerType=primary")
                    .containsEntry(
                            "SPANNER_READREPLICA_URL",
                            "jdbc:postgresql://postgres-replica:5432,postgres:5432/spanner"
                                    + "?targetServerType=preferSecondary")
                    .containsEntry("SPANNER_MESSAGING_QUEUETYPE", "quorum");
            Map<String, Object> dependsOn =
                    (Map<String, Object>) services.get(name).get("depends_on");
            assertThat(dependsOn)
                    .as(name)
                    .containsKeys("postgres-replica", "rabbitmq-2", "rabbitmq-3", "redis-cluster-init");
            assertThat(dependsOn.get("redis-cluster-init").toString()).contains("service_completed_successfully");
        }
    }

    @Test
    void theClusterOverlayRefusesToStartWithoutTheCookieAndTheReplicationPassword() throws IOException {
        for (String secret : List.of("RABBITMQ_ERLANG_COOKIE", "POSTGRES_REPLICATION_PASSWORD")) {
            assertRefusedWithout(CLUSTERED, secret);
        }
        assertThat(config("docker-compose.enterprise.yml", envFile).exitCode())
                .as("the enterprise file alone needs neither")
                .isZero();
    }

    @Test
    void theSitesExampleAddsAWorkerServicePerSiteGroupWithTheEnterpriseWorkersSettings() {
        Map<String, Map<String, Object>> services =
                services(List.of("docker-compose.enterprise.yml", "docker-compose.sites.yml"), envFile);
        Map<String, Object> worker = environment(services, "dimse-query-worker");

        assertThat(services).containsKeys("worker-north", "worker-south");
        assertThat(environment(services, "worker-north"))
                .containsEntry("SPANNER_WORKER_SOURCELOCATIONS", "north-campus,north-clinic-01,north-clinic-02");
        assertThat(environment(services, "worker-south"))
                .containsEntry("SPANNER_WORKER_SOURCELOCATIONS", "south-campus,south-clinic-01,south-clinic-02");
        assertThat(worker).containsEntry("SPANNER_WORKER_SOURCETAGS", "central");
        for (String group : List.of("worker-north", "worker-south")) {
            Map<String, Object> env = environment(services, group);
            // every setting of the enterprise worker but the ones that pick its sources
            for (String setting : worker.keySet()) {
                if (!setting.startsWith("SPANNER_WORKER_SOURCE")) {
                    assertThat(env).as(group + " " + setting).containsEntry(setting, worker.get(setting));
                }
            }
            assertThat(services.get(group)).doesNotContainKeys("container_name", "ports");
        }
    }

    @Test
    void theClusterScriptsAreValidShell() {
        for (String script : List.of(
                "docker/rabbitmq/start.sh",
                "docker/postgres/replication.sh",
                "docker/postgres/replica.sh",
                "docker/redis/redis-cluster-init.sh")) {
            Command check = Command.run(Repo.root(), Map.of(), TIMEOUT, "sh", "-n", script);
            assertThat(check.exitCode()).as(script + ": " + check.output()).isZero();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Map<String, Object>> services, String name) {
        return (Map<String, Object>) services.get(name).get("environment");
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(Map<String, Map<String, Object>> services, String name) {
        return (List<String>) services.get(name).get("command");
    }
}
