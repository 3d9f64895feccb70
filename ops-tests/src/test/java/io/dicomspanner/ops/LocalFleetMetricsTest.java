package io.dicomspanner.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.interop.Findscu;
import io.dicomspanner.testing.Command;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The services as local processes (the start script's deployment) answer spanning queries, and their
 * /actuator/prometheus series move as the dashboards, the alerts and scripts/monitor_spanner.sh expect: two simulated
 * PACS and one that refuses connections, a "healthy" config (both simulated PACS) asked twice (the second answer from
 * the cache) and a "with dead" config (all three: a partial answer) asked once. Then three C-FINDs through the SCP
 * listener under the "healthy" config's AE title: one study the QIDO answer named (spanned: Success), one refused
 * before spanning (a PATIENT level on Study Root, refused by the SCP itself: A900) and one no matching rule accepts (a wildcard in a UID: C000).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalFleetMetricsTest {
    private static final String QUERY = "/api/v1/spanner/qido/studies?StudyDate=19000101-20991231&limit=10";
    private static final String QIDO_URI = "/api/v1/spanner/qido/{resource}";
    private static final String SCP_AE = "SPAN_HEALTHY";

    private LocalFleet fleet;
    private String pacsA;
    private String pacsB;
    private String dead;
    private Exposition gatewayBefore;
    private Exposition coordinatorBefore;
    private Exposition workerBefore;
    private Exposition listenerBefore;
    private Exposition gateway;
    private Exposition coordinator;
    private Exposition worker;
    private Exposition listener;
    private Exposition rabbitmq;
    private HttpResponse<String> healthyFirst;
    private HttpResponse<String> healthySecond;
    private HttpResponse<String> withDead;
    private JsonNode askedStudy;
    private Findscu.Result dimseStudy;
    private Findscu.Result dimseStudyOverTls;
    private Findscu.Result dimseLevelNotOfModel;
    private Findscu.Result dimseWildcardUid;

    @BeforeAll
    void startFleetAndAsk() throws Exception {
        fleet = new LocalFleet();
        fleet.startInfrastructure();
        List<String> simulated = fleet.startSimulator(2, 300);
        fleet.startGateway();

        pacsA = register(simulated.get(0));
        pacsB = register(simulated.get(1));
        dead = fleet.post("/api/v1/sources/", source("DEAD_PACS", "DEADPACS", "127.0.0.1", LocalFleet.freePort()))
                .get("id")
                .asString();
        String healthy = config("Healthy", SCP_AE, pacsA, pacsB);
        String withDeadConfig = config("With dead", null, pacsA, pacsB, dead);

        fleet.startCoordinator();
        fleet.startWorker(String.join(",", pacsA, pacsB, dead));
        // after the configs: it reads the AE title table at start
        fleet.startListener();

        gatewayBefore = fleet.scrape(fleet.gatewayPort);
        coordinatorBefore = fleet.scrape(fleet.coordinatorPort);
        workerBefore = fleet.scrape(fleet.workerPort);
        listenerBefore = fleet.scrape(fleet.listenerPort);

        healthyFirst = fleet.get(fleet.gatewayPort, QUERY + "&spanner_config_id=" + healthy);
        healthySecond = fleet.get(fleet.gatewayPort, QUERY + "&spanner_config_id=" + healthy);
        withDead = fleet.get(fleet.gatewayPort, QUERY + "&spanner_config_id=" + withDeadConfig);

        askedStudy = fleet.json.readTree(healthyFirst.body()).get(0);
        dimseStudy = findscu()
                .level("STUDY")
                .key("PatientID", dicomJson(askedStudy, "00100020"))
                .key("StudyInstanceUID", dicomJson(askedStudy, "0020000D"))
                .key("StudyDate")
                .key("RetrieveAETitle")
                .run();
        // Refused by the dicom module's SCP before the listener's handler sees it: must be counted all the same.
        dimseLevelNotOfModel = findscu().level("PATIENT").key("PatientID", "X").run();
        dimseWildcardUid =
                findscu().level("STUDY").key("StudyInstanceUID", "1.2*").run();

        // every source the worker has seen gets its C-ECHO within a second or two
        LocalFleet.await("C-ECHO of all three sources", () -> {
            Exposition w = fleet.scrape(fleet.workerPort);
            return Set.of(pacsA, pacsB, dead).stream()
                    .allMatch(s -> w.has("spanner_worker_source_up", Map.of("source", s)));
        });
        fleet.startPrometheus();
        // two evaluations of the rules after a scrape of every target
        LocalFleet.await("Prometheus scraped every target", () -> {
            JsonNode result = fleet.json
                    .readTree(fleet.prometheus("/api/v1/query?query=up").body())
                    .get("data")
                    .get("result");
            return result.size() == 5
                    && result.valueStream()
                            .allMatch(r -> r.get("value").get(1).asString().equals("1"));
        });
        Thread.sleep(3000);
        gateway = fleet.scrape(fleet.gatewayPort);
        coordinator = fleet.scrape(fleet.coordinatorPort);
        worker = fleet.scrape(fleet.workerPort);
        listener = fleet.scrape(fleet.listenerPort);
        rabbitmq = fleet.scrapeRabbitmq();

        // After the scrapes, which count the C-FINDs above only; Prometheus and the monitor see this one too.
        Path tls = fleet.composeTls();
        dimseStudyOverTls = Findscu.to("127.0.0.1", fleet.listenerTlsPort, SCP_AE)
                .model(Findscu.Model.STUDY_ROOT)
                .tls(tls.resolve("client-key.pem"), tls.resolve("client.pem"), tls.resolve("ca.pem"))
                .level("STUDY")
                .key("PatientID", dicomJson(askedStudy, "00100020"))
                .key("StudyInstanceUID", dicomJson(askedStudy, "0020000D"))
                .key("StudyDate")
                .key("RetrieveAETitle")
                .run();
        // the monitor's rates (over the last second or two) must read 0 again: the totals are what it checks
        Thread.sleep(5000);
    }

    @AfterAll
    void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private String register(String simulatorLine) {
        String[] parts = simulatorLine.split(" ");
        String[] hostPort = parts[2].split(":");
        return fleet.post("/api/v1/sources/", source(parts[0], parts[1], hostPort[0], Integer.parseInt(hostPort[1])))
                .get("id")
                .asString();
    }

    private static String source(String name, String ae, String host, int port) {
        return """
                {"name": "%s", "ae_title": "%s", "host": "%s", "port": %d, "calling_ae_title": "SPANNER",
                 "max_associations": 4, "query_timeout_seconds": 20, "tls": false,
                 "information_models": ["study_root", "patient_root"]}""".formatted(name, ae, host, port);
    }

    private String config(String name, String scpAeTitle, String... sources) {
        String id = fleet.post("/api/v1/config/spanner/", """
                        {"name": "%s", "max_concurrent_sources": 8, "timeout_seconds": 30, "retry_attempts": 1,
                         "failure_strategy": "partial_results", "deduplication_enabled": true%s}""".formatted(
                                name, scpAeTitle == null ? "" : ", \"scp_ae_title\": \"" + scpAeTitle + "\""))
                .get("id")
                .asString();
        int priority = 1;
        for (String source : sources) {
            fleet.post(
                    "/api/v1/config/spanner/" + id + "/sources/",
                    "{\"source_type\": \"modality\", \"source_id\": %s, \"priority\": %d}"
                            .formatted(source, priority++));
        }
        return id;
    }

    private Findscu findscu() {
        return Findscu.to("127.0.0.1", fleet.listenerDicomPort, SCP_AE).model(Findscu.Model.STUDY_ROOT);
    }

    /** The first value of a DICOM JSON attribute. */
    private static String dicomJson(JsonNode record, String tag) {
        return record.get(tag).get("Value").get(0).asString();
    }

    private static double moved(Exposition before, Exposition after, String name, Map<String, String> labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    @Test
    void theQueriesWereAnsweredCompleteThenFromCacheThenPartialWithAWarning() {
        assertThat(healthyFirst.statusCode()).isEqualTo(200);
        assertThat(healthyFirst.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/dicom+json"));
        String remaining = "299 127\\.0\\.0\\.1:" + fleet.gatewayPort
                + ": \"There are \\d+ additional results that can be requested\"";
        // limit=10 leaves results over; no source failed
        assertThat(healthyFirst.headers().allValues("Warning"))
                .singleElement()
                .asString()
                .matches(remaining);
        assertThat(healthySecond.statusCode()).isEqualTo(200);
        assertThat(healthySecond.body()).isEqualTo(healthyFirst.body());
        assertThat(withDead.statusCode()).isEqualTo(200);
        assertThat(withDead.headers().allValues("Warning"))
                .hasSize(2)
                .anyMatch(w -> w.matches(remaining))
                .anyMatch(w -> w.startsWith(
                        "299 127.0.0.1:" + fleet.gatewayPort + ": \"Source DEAD_PACS (AE DEADPACS) connection_failed"));
    }

    @Test
    void theListenerAnsweredTheStudyTheQidoAnswerNamedAndRefusedTheOtherTwo() {
        assertThat(dimseStudy.finalStatus()).as(dimseStudy.finalStatusText()).isEqualTo(0x0000);
        assertThat(dimseStudy.pendingStatuses()).containsExactly(0xFF00);
        Attributes study = dimseStudy.responses().get(0);
        assertThat(study.getString(Tag.QUERY_RETRIEVE_LEVEL)).isEqualTo("STUDY");
        assertThat(study.getString(Tag.PATIENT_ID)).isEqualTo(dicomJson(askedStudy, "00100020"));
        assertThat(study.getString(Tag.STUDY_INSTANCE_UID)).isEqualTo(dicomJson(askedStudy, "0020000D"));
        assertThat(study.getString(Tag.STUDY_DATE)).isEqualTo(dicomJson(askedStudy, "00080020"));
        assertThat(study.getStrings(Tag.RETRIEVE_AE_TITLE)).isNotEmpty().isSubsetOf("PACSA", "PACSB");
        assertThat(study.size()).isEqualTo(5);

        assertThat(dimseLevelNotOfModel.finalStatus())
                .as(dimseLevelNotOfModel.finalStatusText())
                .isEqualTo(0xA900);
        assertThat(dimseLevelNotOfModel.responses()).isEmpty();
        assertThat(dimseWildcardUid.finalStatus())
                .as(dimseWildcardUid.finalStatusText())
                .isEqualTo(0xC000);
        assertThat(dimseWildcardUid.responses()).isEmpty();
    }

    @Test
    void overDicomTlsWithTheComposeFilesBundleTheListenerGivesTheSameAnswer() {
        assertThat(dimseStudyOverTls.finalStatus())
                .as(dimseStudyOverTls.finalStatusText())
                .isEqualTo(0x0000);
        assertThat(dimseStudyOverTls.responses()).hasSize(1);
        Attributes overTls = dimseStudyOverTls.responses().get(0);
        Attributes plain = dimseStudy.responses().get(0);
        for (int tag : new int[] {Tag.QUERY_RETRIEVE_LEVEL, Tag.PATIENT_ID, Tag.STUDY_INSTANCE_UID, Tag.STUDY_DATE}) {
            assertThat(overTls.getStrings(tag)).as(Tag.toString(tag)).containsExactly(plain.getStrings(tag));
        }
        // Asked again, the study comes from the cache with every holder the finished merge knew (the QIDO answer's);
        // the streamed first answer names those known when it was sent, the winner among them
        // (configuration-listener.md)
        assertThat(overTls.getStrings(Tag.RETRIEVE_AE_TITLE))
                .containsExactlyElementsOf(askedStudy
                        .get("00080054")
                        .get("Value")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList())
                .contains(plain.getStrings(Tag.RETRIEVE_AE_TITLE));
        assertThat(overTls.size()).isEqualTo(5);
    }

    @Test
    void theListenerCountedEachCFindByFinalStatusAndHasNoneInFlight() {
        assertThat(moved(listenerBefore, listener, "spanner_listener_finds_total", Map.of("status", "0000")))
                .isEqualTo(1.0);
        assertThat(moved(listenerBefore, listener, "spanner_listener_finds_total", Map.of("status", "A900")))
                .isEqualTo(1.0);
        assertThat(moved(listenerBefore, listener, "spanner_listener_finds_total", Map.of("status", "C000")))
                .isEqualTo(1.0);
        assertThat(moved(listenerBefore, listener, "spanner_listener_finds_total", Map.of()))
                .isEqualTo(3.0);
        assertThat(listener.value("spanner_listener_finds_in_flight", Map.of())).isEqualTo(0.0);
    }

    @Test
    void theCoordinatorCountedTheSpannedCFindUnderTheDimseEntryPoint() {
        Map<String, String> dimse = Map.of("entry_point", "dimse", "level", "study");
        assertThat(moved(coordinatorBefore, coordinator, "spanner_queries_total", dimse))
                .isEqualTo(1.0);
        assertThat(moved(coordinatorBefore, coordinator, "spanner_queries_total", with(dimse, "state", "complete")))
                .isEqualTo(1.0);
        assertThat(moved(coordinatorBefore, coordinator, "spanner_query_duration_seconds_count", dimse))
                .isEqualTo(1.0);
    }

    @Test
    void theCoordinatorCountedEachQueryItAnsweredByStateTimedItAndCountedItsCacheLookUps() {
        Map<String, String> qido = Map.of("entry_point", "qido", "level", "study");
        assertThat(moved(coordinatorBefore, coordinator, "spanner_queries_total", with(qido, "state", "complete")))
                .isEqualTo(1.0);
        assertThat(moved(coordinatorBefore, coordinator, "spanner_queries_total", with(qido, "state", "partial")))
                .isEqualTo(1.0);
        assertThat(moved(coordinatorBefore, coordinator, "spanner_query_duration_seconds_count", qido))
                .isEqualTo(2.0);
        assertThat(moved(
                        coordinatorBefore,
                        coordinator,
                        "spanner_query_duration_seconds_bucket",
                        with(qido, "le", "+Inf")))
                .isEqualTo(2.0);
        // the repeated query never reached the coordinator: the gateway answered it from the cache
        assertThat(moved(coordinatorBefore, coordinator, "spanner_cache_requests_total", Map.of("result", "hit")))
                .isEqualTo(0.0);
        // the C-FIND asked something else: a miss too
        assertThat(moved(coordinatorBefore, coordinator, "spanner_cache_requests_total", Map.of("result", "miss")))
                .isEqualTo(3.0);
        assertThat(coordinator.has("spanner_coalesced_queries_total", Map.of())).isTrue();
    }

    @Test
    void theGatewayCountedTheQueryItAnsweredFromTheCacheUnderTheSameNames() {
        Map<String, String> qido = Map.of("entry_point", "qido", "level", "study");
        assertThat(moved(gatewayBefore, gateway, "spanner_queries_total", with(qido, "state", "complete")))
                .isEqualTo(1.0);
        assertThat(moved(gatewayBefore, gateway, "spanner_queries_total", Map.of()))
                .isEqualTo(1.0);
        assertThat(moved(gatewayBefore, gateway, "spanner_query_duration_seconds_count", qido))
                .isEqualTo(1.0);
        assertThat(moved(gatewayBefore, gateway, "spanner_cache_requests_total", Map.of("result", "hit")))
                .isEqualTo(1.0);
        assertThat(gateway.has("spanner_cache_requests_total", Map.of("result", "miss")))
                .as("misses are counted by the coordinators")
                .isFalse();
    }

    @Test
    void theCoordinatorCountedEachSourcesOutcome() {
        assertThat(moved(
                        coordinatorBefore,
                        coordinator,
                        "spanner_source_outcomes_total",
                        Map.of("source", pacsA, "outcome", "success")))
                .isEqualTo(3.0);
        assertThat(moved(
                        coordinatorBefore,
                        coordinator,
                        "spanner_source_outcomes_total",
                        Map.of("source", pacsB, "outcome", "success")))
                .isEqualTo(3.0);
        assertThat(moved(
                        coordinatorBefore,
                        coordinator,
                        "spanner_source_outcomes_total",
                        Map.of("source", dead, "outcome", "connection_failed")))
                .isEqualTo(1.0);
    }

    @Test
    void theWorkerTimedEachCFindCountedResultsAsTheCoordinatorReceivedThemAndTheConnectionFailure() {
        for (String source : List.of(pacsA, pacsB)) {
            Map<String, String> s = Map.of("source", source);
            assertThat(moved(workerBefore, worker, "spanner_worker_cfind_duration_seconds_count", s))
                    .isEqualTo(3.0);
            double relayed = moved(workerBefore, worker, "spanner_worker_cfind_results_total", s);
            assertThat(relayed).isPositive();
            assertThat(moved(coordinatorBefore, coordinator, "spanner_source_results_total", s))
                    .isEqualTo(relayed);
            assertThat(worker.value("spanner_worker_circuit_state", Map.of("source", source, "state", "closed")))
                    .isEqualTo(1.0);
        }
        assertThat(moved(
                        workerBefore,
                        worker,
                        "spanner_worker_cfind_errors_total",
                        Map.of("source", dead, "outcome", "CONNECTION_FAILED")))
                .isEqualTo(1.0);
        assertThat(worker.value("spanner_worker_task_capacity", Map.of())).isEqualTo(1024.0);
        assertThat(worker.has("spanner_worker_busy_tasks", Map.of())).isTrue();
        assertThat(worker.has("spanner_worker_associations", Map.of("source", pacsA, "state", "open")))
                .isTrue();
    }

    @Test
    void theWorkerReportsEachSourcesHealthWithItsAeTitle() {
        assertThat(worker.value("spanner_worker_source_up", Map.of("source", pacsA, "ae_title", "PACSA")))
                .isEqualTo(1.0);
        assertThat(worker.value("spanner_worker_source_up", Map.of("source", pacsB, "ae_title", "PACSB")))
                .isEqualTo(1.0);
        assertThat(worker.has("spanner_worker_source_up", Map.of("source", dead, "ae_title", "DEADPACS")))
                .isTrue();
        assertThat(worker.value("spanner_worker_source_up", Map.of("source", dead)))
                .isEqualTo(0.0);
    }

    @Test
    void theGatewayServesItsMetricsWithoutAKeyAndCountedTheSearches() {
        Map<String, String> ok = Map.of("uri", QIDO_URI, "status", "200", "method", "GET");
        assertThat(moved(gatewayBefore, gateway, "http_server_requests_seconds_count", ok))
                .isEqualTo(3.0);
        HttpResponse<String> anonymous = fleet.http
                .sendAsync(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        "http://127.0.0.1:" + fleet.gatewayPort + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .join();
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(fleet.get(fleet.gatewayPort, "/actuator/health").statusCode())
                .isEqualTo(200);
    }

    @Test
    void theCoordinatorServesTheSameMetricsAtSlashMetrics() {
        HttpResponse<String> metrics = fleet.get(fleet.coordinatorPort, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(new Exposition(metrics.body()).names()).containsAll(coordinator.names());
    }

    @Test
    void rabbitmqCarriesTheQueuePoliciesAndExportsPerQueueDepths() {
        Command queues = Command.run(
                Repo.root(),
                Map.of(),
                Duration.ofMinutes(1),
                List.of(
                        "rabbitmqctl",
                        "-n",
                        fleet.rabbitNode,
                        "-q",
                        "list_queues",
                        "--no-table-headers",
                        "name",
                        "policy"));
        Map<String, String> policies = new TreeMap<>();
        queues.out().lines().map(l -> l.split("\\s+")).forEach(p -> policies.put(p[0], p.length > 1 ? p[1] : ""));

        assertThat(policies)
                .containsEntry("spanner.requests", "spanner-queue-limits")
                .containsEntry("spanner.tasks.source." + pacsA, "spanner-queue-limits")
                .containsEntry("spanner.tasks.source." + dead, "spanner-queue-limits")
                .containsEntry("spanner.dead-letters", "spanner-dead-letters");
        Map<String, String> requests = Map.of("queue", "spanner.requests");
        assertThat(rabbitmq.value("rabbitmq_queue_messages_ready", requests)).isEqualTo(0.0);
        assertThat(rabbitmq.value("rabbitmq_queue_consumers", requests)).isEqualTo(4.0);
        assertThat(rabbitmq.has("rabbitmq_queue_messages_unacked", requests)).isTrue();
    }

    @Test
    void everyMetricTheDashboardsAndAlertsReadIsExported() {
        Set<String> exported = new TreeSet<>();
        for (Exposition e : List.of(gateway, coordinator, worker, listener, rabbitmq)) {
            exported.addAll(e.names());
        }
        exported.add("up"); // Prometheus' own series for every target

        Map<String, Set<String>> missing = new TreeMap<>();
        MonitoringQueries.all().forEach((where, expr) -> {
            Set<String> names = new TreeSet<>(PromQl.metricNames(expr));
            assertThat(names).as(where + " reads no metric: " + expr).isNotEmpty();
            names.removeAll(exported);
            if (!names.isEmpty()) {
                missing.put(where, names);
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    void monitorOnceShowsServicesQueriesCacheWorkersQueuesAndEachPacs() {
        Command monitor = Command.run(
                Repo.root(),
                Map.of(
                        "SPANNER_MONITOR_GATEWAY", "http://127.0.0.1:" + fleet.gatewayPort,
                        "SPANNER_MONITOR_COORDINATORS", "http://127.0.0.1:" + fleet.coordinatorPort,
                        "SPANNER_MONITOR_WORKERS", "http://127.0.0.1:" + fleet.workerPort,
                        "SPANNER_MONITOR_LISTENER", "http://127.0.0.1:" + fleet.listenerPort,
                        "SPANNER_MONITOR_RABBITMQ_API", "http://127.0.0.1:" + LocalFleet.freePort(),
                        "RABBITMQCTL", fleet.rabbitmqctl()),
                Duration.ofMinutes(1),
                "scripts/monitor_spanner.sh",
                "--once",
                "--interval",
                "1");

        assertThat(monitor.exitCode()).as(monitor.output()).isZero();
        List<String> lines = monitor.out().lines().toList();
        assertThat(lines)
                .contains("Services:  api-gateway 1/1 up   spanner-coordinator 1/1 up   dimse-query-worker 1/1 up"
                        + "   dimse-scp-listener 1/1 up")
                .anyMatch(l -> l.startsWith("Queries:   0.00/s   total 5: complete 4  partial 1  failed 0  timed_out 0")
                        && l.endsWith("failure rate 0.0%"))
                .contains("           by entry point: dimse 2  qido 3")
                .contains("Listener:  0.00 C-FINDs/s   in flight 0   total 4: 0000 2  A900 1  C000 1")
                .anyMatch(l -> l.startsWith("Latency:   study    p50 "))
                .contains("Cache:     hit rate 40.0% (2 hits, 3 misses)   coalesced 0   redis errors 0")
                .contains("Workers:   utilization 0.0% (0 busy of 1024 task slots)")
                .anyMatch(l -> l.matches("spanner\\.requests +0 +0 +4"))
                .anyMatch(l -> l.matches("PACSA \\(" + pacsA + "\\) +up +closed +3 .*  -"))
                .anyMatch(l -> l.matches("PACSB \\(" + pacsB + "\\) +up +closed +3 .*  -"))
                .anyMatch(l -> l.matches("DEADPACS \\(" + dead + "\\) +DOWN +closed +1 .*  CONNECTION_FAILED 1"));
    }

    @Test
    void prometheusEvaluatesEveryAlertWithoutErrorAndTheDeadPacsIsPendingDown() {
        JsonNode groups = fleet.json
                .readTree(fleet.prometheus("/api/v1/rules").body())
                .get("data")
                .get("groups");
        List<JsonNode> rules =
                groups.valueStream().flatMap(g -> g.get("rules").valueStream()).toList();
        assertThat(rules).hasSize(9);
        assertThat(rules).allSatisfy(r -> {
            assertThat(r.get("health").asString()).as(r.get("name").asString()).isEqualTo("ok");
            assertThat(r.has("lastError") ? r.get("lastError").asString() : "").isEmpty();
        });

        Map<String, String> active = rules.stream()
                .filter(r -> !r.get("alerts").isEmpty())
                .collect(Collectors.toMap(
                        r -> r.get("name").asString(),
                        r -> r.get("alerts")
                                .valueStream()
                                .map(a -> subject(a.get("labels")) + " "
                                        + a.get("state").asString())
                                .sorted()
                                .collect(Collectors.joining(", "))));
        // PacsDown waits out its "for" before firing, and so does CertificateExpiresSoon for the 2-day test
        // certificates of the gateway, the worker and the listener; nothing else is wrong with this fleet.
        // (PacsConnectionFailures stays quiet: the one connection
        // failure happened before Prometheus' first scrape, so it sees no increase.)
        assertThat(active)
                .isEqualTo(Map.of(
                        "PacsDown",
                        dead + " pending",
                        "CertificateExpiresSoon",
                        "dicom-client pending, dicom-server pending, spanner-https pending"));
    }

    /** What an alert is about: a source, or an SSL bundle. */
    private static String subject(JsonNode labels) {
        return labels.has("source")
                ? labels.get("source").asString()
                : labels.get("bundle").asString();
    }

    @Test
    void monitorOnceReadsTheSameThroughPrometheus() {
        Command monitor = Command.run(
                Repo.root(),
                Map.of(),
                Duration.ofMinutes(1),
                "scripts/monitor_spanner.sh",
                "--once",
                "--interval",
                "1",
                "--prometheus",
                "http://127.0.0.1:" + fleet.prometheusPort);

        assertThat(monitor.exitCode()).as(monitor.output()).isZero();
        assertThat(monitor.out().lines().toList())
                .contains("Services:  api-gateway 1/1 up   spanner-coordinator 1/1 up   dimse-query-worker 1/1 up"
                        + "   dimse-scp-listener 1/1 up")
                .anyMatch(
                        l -> l.startsWith("Queries:   0.00/s   total 5: complete 4  partial 1  failed 0  timed_out 0"))
                .contains("Listener:  0.00 C-FINDs/s   in flight 0   total 4: 0000 2  A900 1  C000 1")
                .contains("Cache:     hit rate 40.0% (2 hits, 3 misses)   coalesced 0   redis errors 0")
                .anyMatch(l -> l.matches("spanner\\.requests +0 +0 +4"))
                .anyMatch(l -> l.matches("PACSA \\(" + pacsA + "\\) +up +closed +3 .*  -"))
                .anyMatch(l -> l.matches("DEADPACS \\(" + dead + "\\) +DOWN +closed +1 .*  CONNECTION_FAILED 1"));
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> all = new TreeMap<>(labels);
        all.put(key, value);
        return all;
    }
}
