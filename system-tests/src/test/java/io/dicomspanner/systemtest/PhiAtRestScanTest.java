package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.synth.SyntheticPatient;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.interop.Findscu;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.testing.Command;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * No patient data in clear text anywhere the system writes. Every service runs at DEBUG (root logger) while the queries
 * of a mixed fleet (three simulated PACS whose patients have German, French, Spanish, Nordic and Greek names, and
 * dcmtk's dcmqrscp) go through every entry: QIDO-RS searches by date, by a non-ASCII name, by Patient ID (also
 * asynchronously, its status and results read), series and instances, C-FIND through the listener in UTF-8, and a
 * query-log search by patient. Then every patient name, ID and birth date of the answers, in each form {@link PhiScan}
 * knows, is looked for in every service's log, every Redis key and value, every message published on the run's
 * virtual host (RabbitMQ's firehose, {@code amq.rabbitmq.trace}, bound to a spy queue before the first query) and
 * every row of every PostgreSQL table ({@code pg_dump}). The expected count of hits is 0.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PhiAtRestScanTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("phi").withServiceEnvironment(Map.of("LOGGING_LEVEL_ROOT", "DEBUG"));

    private static final List<String> SERVICES =
            List.of("api-gateway", "spanner-coordinator", "dimse-query-worker", "dimse-scp-listener");
    private static final String SCP_AE = "SPAN_PHI";
    private static final String ALL_DATES = "19000101-20991231";
    private static final String SPY_QUEUE = "phi-scan-spy";

    private DcmqrscpPeer dcmqrscp;
    private Fleet.Listener listener;
    private long configId;
    private Connection broker;
    private Channel spy;
    /** Every patient name, ID and birth date the system answered with. */
    private final Set<String> phi = new LinkedHashSet<>();

    @BeforeAll
    void startFleetSpyAndAsk() throws Exception {
        spyOnEveryPublish();
        SimulatorProcess simulator = FLEET.startSimulator(3, 60, List.of("--latency-ms", "5-20"));
        List<SyntheticPatient> patients =
                SyntheticStudies.generate(7411, 3, 1, 1, 1).patients();
        dcmqrscp = DcmqrscpPeer.builder()
                .aeTitle("DCMQRSCP")
                .files(PeerFiles.part10(
                        patients.stream().flatMap(p -> p.studies().stream()).toList(),
                        FLEET.runDir().resolve("peer-files"),
                        s -> List.of("CT")))
                .start();
        List<Long> sources = new ArrayList<>();
        for (SimulatorProcess.Pacs p : simulator.pacs()) {
            sources.add(FLEET.registerSource(p.name(), p.aeTitle(), p.host(), p.port(), Map.of()));
        }
        sources.add(FLEET.registerSource(
                "dcmqrscp",
                dcmqrscp.aeTitle(),
                dcmqrscp.host(),
                dcmqrscp.port(),
                Map.of("relational_queries", false, "information_models", List.of("study_root"))));
        configId = FLEET.createConfig("PHI scan", Fleet.comparedConfig(Map.of("scp_ae_title", SCP_AE)));
        FLEET.mapSources(configId, sources);
        FLEET.startCoordinator("spanner-coordinator");
        FLEET.startWorker("dimse-query-worker", sources, Map.of());
        listener = FLEET.startListener("dimse-scp-listener");

        askThroughEveryEntry();
    }

    @AfterAll
    void stopSpyAndPeers() throws Exception {
        try {
            if (broker != null) {
                broker.close();
            }
            RabbitVhost.run(null, "trace_off", "-p", FLEET.virtualHost());
        } finally {
            if (dcmqrscp != null) {
                dcmqrscp.close();
            }
        }
    }

    /**
     * RabbitMQ's firehose copies every message published on the virtual host to {@code amq.rabbitmq.trace}, also
     * those sent through the default exchange (results to a coordinator's queue), which no binding could catch.
     */
    private void spyOnEveryPublish() throws Exception {
        String vhost = FLEET.virtualHost();
        RabbitVhost.run(null, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        RabbitVhost.run(null, "trace_on", "-p", vhost);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setVirtualHost(vhost);
        broker = factory.newConnection("phi-scan");
        spy = broker.createChannel();
        spy.queueDeclare(SPY_QUEUE, false, false, false, Map.of());
        spy.queueBind(SPY_QUEUE, "amq.rabbitmq.trace", "publish.#");
    }

    private void askThroughEveryEntry() throws Exception {
        String config = "&spanner_config_id=" + configId;
        HttpAnswer all = FLEET.get("/api/v1/spanner/qido/studies?StudyDate=" + ALL_DATES + config);
        assertThat(all.status()).as(all.text()).isEqualTo(200);
        collect(all);
        String nonAscii = all.dicom().stream()
                .map(a -> a.getString(Tag.PATIENT_NAME))
                .filter(n ->
                        n != null && !StandardCharsets.US_ASCII.newEncoder().canEncode(n))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the fleet has no patient with a non-ASCII name"));
        String family = nonAscii.split("\\^")[0];
        HttpAnswer byName = FLEET.get("/api/v1/spanner/qido/studies?PatientName="
                + URLEncoder.encode(family + "*", StandardCharsets.UTF_8) + config);
        assertThat(byName.status()).as(byName.text()).isEqualTo(200);
        assertThat(byName.dicom()).isNotEmpty();
        collect(byName);

        Attributes first = all.dicom().get(0);
        String patientId = first.getString(Tag.PATIENT_ID);
        String study = first.getString(Tag.STUDY_INSTANCE_UID);
        collect(FLEET.get("/api/v1/spanner/qido/studies?PatientID="
                + URLEncoder.encode(patientId, StandardCharsets.UTF_8) + "&includefield=PatientBirthDate" + config));
        HttpAnswer series = FLEET.get("/dicomweb/" + configId + "/studies/" + study + "/series?includefield=all");
        assertThat(series.status()).as(series.text()).isEqualTo(200);
        collect(series);
        String seriesUid = series.dicom().get(0).getString(Tag.SERIES_INSTANCE_UID);
        collect(FLEET.get("/dicomweb/" + configId + "/studies/" + study + "/series/" + seriesUid + "/instances"));

        HttpAnswer async = FLEET.get("/api/v1/spanner/qido/studies?PatientID="
                + URLEncoder.encode(patientId, StandardCharsets.UTF_8) + "&StudyDate=" + ALL_DATES + "&async=true"
                + config);
        assertThat(async.status()).as(async.text()).isEqualTo(202);
        String statusUrl = async.json().get("status_url").asString();
        String resultsUrl = async.json().get("results_url").asString();
        HttpAnswer results = FLEET.get(resultsUrl);
        for (int i = 0; i < 100 && results.status() == 202; i++) {
            Thread.sleep(100);
            results = FLEET.get(resultsUrl);
        }
        assertThat(results.status()).as(results.text()).isEqualTo(200);
        collect(results);
        assertThat(FLEET.get(statusUrl).status()).isEqualTo(200);

        Findscu.Result dimse = Findscu.to("127.0.0.1", listener.dicomPort(), SCP_AE)
                .level("STUDY")
                .key("SpecificCharacterSet", "ISO_IR 192")
                .key("PatientName", family + "*")
                .key("PatientID")
                .key("PatientBirthDate")
                .key("StudyInstanceUID")
                .run();
        assertThat(dimse.finalStatus()).as(dimse.log()).isEqualTo(Status.SUCCESS);
        assertThat(dimse.responses()).isNotEmpty();
        for (Attributes a : dimse.responses()) {
            collect(a);
        }

        JsonNode log = FLEET.post("/api/v1/query-log/search", Map.of("patient_id", patientId), 200);
        assertThat(log.get("items").size()).as(log.toString()).isPositive();
        // the query log and audit rows are written after the answers: give them a moment
        Thread.sleep(2000);
    }

    private void collect(HttpAnswer answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        for (Attributes a : answer.dicom()) {
            collect(a);
        }
    }

    private void collect(Attributes a) {
        for (int tag : new int[] {Tag.PATIENT_NAME, Tag.PATIENT_ID, Tag.PATIENT_BIRTH_DATE}) {
            String value = a.getString(tag);
            if (value != null && !value.isBlank()) {
                phi.add(value);
            }
        }
    }

    @Test
    void theAnswersHadPatientNamesIncludingNonAsciiIdsAndBirthDates() {
        assertThat(phi).anyMatch(v -> !StandardCharsets.US_ASCII.newEncoder().canEncode(v));
        assertThat(phi).anyMatch(v -> v.matches("\\d{8}")).anyMatch(v -> v.contains("^"));
    }

    @Test
    void noServiceLogHoldsPatientData() throws Exception {
        PhiScan scan = new PhiScan(phi);
        long bytes = 0;
        for (String service : SERVICES) {
            Path log = FLEET.runDir().resolve(service + ".log");
            byte[] content = Files.readAllBytes(log);
            bytes += content.length;
            scan.scan(log.getFileName().toString(), content);
        }
        // DEBUG logs of four services are not small: the scan looked at something
        assertThat(bytes).isGreaterThan(100_000);
        assertThat(scan.hits()).isEmpty();
    }

    @Test
    void noRedisKeyOrValueHoldsPatientData() {
        // every key, then every value whatever its type, in one round trip each
        String keys = redis("EVAL", "return redis.call('KEYS', '*')", "0");
        String values = redis("EVAL", """
                local out = {}
                for _, k in ipairs(redis.call('KEYS', '*')) do
                  local t = redis.call('TYPE', k).ok
                  local v
                  if t == 'string' then v = {redis.call('GET', k)}
                  elseif t == 'hash' then v = redis.call('HGETALL', k)
                  elseif t == 'list' then v = redis.call('LRANGE', k, 0, -1)
                  elseif t == 'set' then v = redis.call('SMEMBERS', k)
                  elseif t == 'zset' then v = redis.call('ZRANGE', k, 0, -1, 'WITHSCORES')
                  else v = {} end
                  for _, x in ipairs(v) do table.insert(out, x) end
                end
                return out""", "0");
        // the run wrote its cached answers, statuses and askers there
        assertThat(keys.lines().count()).isGreaterThan(10);
        PhiScan scan = new PhiScan(phi);
        scan.scan("redis keys", keys.getBytes(StandardCharsets.UTF_8));
        scan.scan("redis values", values.getBytes(StandardCharsets.UTF_8));
        assertThat(scan.hits()).isEmpty();
    }

    /** redis-cli against the run's Redis (TLS, its ACL user), raw output. */
    private String redis(String... command) {
        RedisServer redis = FLEET.redis();
        List<String> line = new ArrayList<>(List.of(
                "redis-cli",
                "--tls",
                "--cacert",
                redis.caCertificate().toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(redis.port()),
                "--user",
                RedisServer.USER,
                "--raw"));
        line.addAll(List.of(command));
        Command cli =
                Command.run(FLEET.runDir(), Map.of("REDISCLI_AUTH", redis.password()), Duration.ofMinutes(1), line);
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        return cli.out();
    }

    @Test
    void noMessageThroughTheBrokerHoldsPatientData() throws Exception {
        PhiScan scan = new PhiScan(phi);
        int messages = 0;
        GetResponse message;
        while ((message = spy.basicGet(SPY_QUEUE, true)) != null) {
            messages++;
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            seen.write(message.getBody());
            seen.write(String.valueOf(message.getProps().getHeaders()).getBytes(StandardCharsets.UTF_8));
            scan.scan(message.getEnvelope().getRoutingKey() + " #" + messages, seen.toByteArray());
        }
        // span requests, source tasks, results and answers of every query above
        assertThat(messages).isGreaterThan(20);
        assertThat(scan.hits()).isEmpty();
    }

    @Test
    void noPostgresqlRowHoldsPatientData() {
        Command dump = Command.run(
                FLEET.runDir(),
                Map.of(),
                Duration.ofMinutes(1),
                "pg_dump",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "--data-only",
                FLEET.databaseName());
        assertThat(dump.exitCode()).as(dump.err()).isZero();
        // the sources, configs, query log and audit rows of the run
        assertThat(dump.out()).contains("COPY public.query_log").contains("COPY public.dicom_source (");
        PhiScan scan = new PhiScan(phi);
        scan.scan("postgresql", dump.out().getBytes(StandardCharsets.UTF_8));
        assertThat(scan.hits()).isEmpty();
    }
}
