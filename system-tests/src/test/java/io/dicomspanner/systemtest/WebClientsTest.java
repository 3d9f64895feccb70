package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.testing.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The spanner's DICOMweb as third-party web clients see it, over three simulated PACS: the npm package
 * {@code dicomweb-client} run by Node walks a patient's studies, their series and the series' instances through
 * {@code /dicomweb/{config}}; and headless Chromium, driven by Selenium, loads a page of another origin that searches
 * the patient's studies with {@code fetch()}. The gateway allows one page origin ({@code spanner.cors.allowed-origins});
 * the same page served from a second origin is refused by the browser. Every UID read is compared with what the PACS
 * answer when asked directly, past the spanner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebClientsTest {

    /** The ports of this class's own servers (the two page origins, chromedriver): 30000–30999. */
    private static final int FIRST_PORT = 30000;

    private static final int LAST_PORT = 30999;

    private static final HttpServer ALLOWED_PAGES = pageServer();
    private static final HttpServer OTHER_PAGES = pageServer();
    private static final String ALLOWED_ORIGIN = origin(ALLOWED_PAGES);

    @RegisterExtension
    static final Fleet FLEET =
            new Fleet("webclients").withServiceEnvironment(Map.of("SPANNER_CORS_ALLOWEDORIGINS", ALLOWED_ORIGIN));

    private static final Path NODE_CLIENT = Path.of("node").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ALL_DATES = "19000101-20991231";
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(120);

    private final List<DirectFind.Pacs> pacs = new ArrayList<>();
    private DirectFind direct;
    private long configId;
    private String queryKey;
    private String patientId;
    private int holdersOfThePatient;

    @BeforeAll
    void startFleet() throws Exception {
        SimulatorProcess simulator = FLEET.startSimulator(3, 30, List.of("--latency-ms", "2-10"));
        direct = new DirectFind();
        List<Long> sources = new ArrayList<>();
        for (SimulatorProcess.Pacs p : simulator.pacs()) {
            sources.add(FLEET.registerSource(p.name(), p.aeTitle(), p.host(), p.port(), Map.of()));
            pacs.add(new DirectFind.Pacs(p.aeTitle(), p.host(), p.port()));
        }
        configId = FLEET.createConfig("Web Clients", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(configId, sources);
        queryKey = FLEET.post("/api/v1/api-keys", Map.of("name", "web-clients", "scopes", List.of("query")))
                .get("key")
                .asString();
        patientId = patientOnMostPacs();
        FLEET.startCoordinator("spanner-coordinator");
        FLEET.startWorker("dimse-query-worker", sources, Map.of());
        ALLOWED_PAGES.start();
        OTHER_PAGES.start();
    }

    @AfterAll
    void stopClients() {
        ALLOWED_PAGES.stop(0);
        OTHER_PAGES.stop(0);
        if (direct != null) {
            direct.close();
        }
    }

    // ---- dicomweb-client on Node ----

    @Test
    void dicomwebClientReadsEveryStudySeriesAndInstanceOfThePatientAsThePacsHoldThem() throws Exception {
        Path modules = NODE_CLIENT.resolve("node_modules/dicomweb-client");
        assertThat(modules)
                .as("dicomweb-client is not installed: scripts/dev-services.sh runs npm ci in " + NODE_CLIENT)
                .isDirectory();

        Command walk = Command.run(
                NODE_CLIENT,
                Map.of("SPANNER_API_KEY", queryKey),
                CLIENT_TIMEOUT,
                List.of("node", "qido-walk.js", gatewayUrl() + "/dicomweb/" + configId, patientId));

        Files.writeString(FLEET.runDir().resolve("dicomweb-client.json"), walk.out());
        assertThat(walk.exitCode()).as(walk.output()).isZero();
        assertThat(walk.err()).as("the client's error output").isEmpty();
        JsonNode read = Fleet.JSON.readTree(walk.out());
        Map<String, Map<String, Set<String>>> expected = heldByThePacs();
        Map<String, Map<String, Set<String>>> actual = new TreeMap<>();
        for (JsonNode study : read.get("studies")) {
            Map<String, Set<String>> series = new TreeMap<>();
            for (JsonNode oneSeries : study.get("series")) {
                List<String> instances = oneSeries
                        .get("instances")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList();
                assertThat(instances).as("instances, each once").doesNotHaveDuplicates();
                series.put(oneSeries.get("SeriesInstanceUID").asString(), new TreeSet<>(instances));
            }
            assertThat(study.get("series").size()).as("series, each once").isEqualTo(series.size());
            actual.put(study.get("StudyInstanceUID").asString(), series);
        }
        assertThat(read.get("studies").size()).as("studies, each once").isEqualTo(actual.size());
        assertThat(actual).isEqualTo(expected);
        System.out.printf(
                "dicomweb-client read %d studies, %d series, %d instances of the patient on %d PACS%n",
                actual.size(),
                actual.values().stream().mapToInt(Map::size).sum(),
                actual.values().stream()
                        .flatMap(series -> series.values().stream())
                        .mapToInt(Set::size)
                        .sum(),
                holdersOfThePatient);
    }

    /** Study UID to series UID to SOP Instance UIDs: the union of what each PACS answers when asked alone. */
    private Map<String, Map<String, Set<String>>> heldByThePacs() throws Exception {
        Map<String, Map<String, Set<String>>> held = new TreeMap<>();
        for (String study : studiesOfThePatient()) {
            Map<String, Set<String>> series = new TreeMap<>();
            for (DirectFind.Pacs p : pacs) {
                for (Attributes s :
                        direct.find(p, "SERIES", DirectFind.keys("StudyInstanceUID", study, "SeriesInstanceUID", ""))) {
                    series.computeIfAbsent(s.getString(Tag.SERIES_INSTANCE_UID), uid -> new TreeSet<>());
                }
            }
            for (Map.Entry<String, Set<String>> s : series.entrySet()) {
                for (DirectFind.Pacs p : pacs) {
                    for (Attributes i : direct.find(
                            p,
                            "IMAGE",
                            DirectFind.keys(
                                    "StudyInstanceUID",
                                    study,
                                    "SeriesInstanceUID",
                                    s.getKey(),
                                    "SOPInstanceUID",
                                    ""))) {
                        s.getValue().add(i.getString(Tag.SOP_INSTANCE_UID));
                    }
                }
            }
            held.put(study, series);
        }
        assertThat(held).as("the patient's studies").isNotEmpty();
        return held;
    }

    private Set<String> studiesOfThePatient() throws Exception {
        Map<String, Set<String>> byAe = new LinkedHashMap<>();
        for (DirectFind.Pacs p : pacs) {
            byAe.put(
                    p.aeTitle(),
                    DirectFind.studyUids(
                            direct.find(p, "STUDY", DirectFind.keys("PatientID", patientId, "StudyInstanceUID", ""))));
        }
        return new TreeSet<>(DirectFind.union(byAe));
    }

    /** The Patient ID held by the most PACS (a search of it spans them), the smallest of those; never a TMP one. */
    private String patientOnMostPacs() throws Exception {
        Map<String, Set<String>> holders = new TreeMap<>();
        for (DirectFind.Pacs p : pacs) {
            for (Attributes study : direct.find(p, "STUDY", DirectFind.keys("StudyDate", ALL_DATES, "PatientID", ""))) {
                String id = study.getString(Tag.PATIENT_ID);
                if (id != null && !id.startsWith("TMP")) {
                    holders.computeIfAbsent(id, x -> new LinkedHashSet<>()).add(p.aeTitle());
                }
            }
        }
        Map.Entry<String, Set<String>> chosen = holders.entrySet().stream()
                .max((a, b) -> a.getValue().size() != b.getValue().size()
                        ? Integer.compare(a.getValue().size(), b.getValue().size())
                        : b.getKey().compareTo(a.getKey()))
                .orElseThrow();
        holdersOfThePatient = chosen.getValue().size();
        return chosen.getKey();
    }

    // ---- a page of another origin in headless Chromium ----

    @Test
    void aPageOfTheAllowedOriginReadsThePatientsStudiesAndTheQueryIdInChromium() throws Exception {
        JsonNode outcome = openPage(ALLOWED_PAGES).outcome();

        assertThat(outcome.get("fetched").asBoolean()).as(outcome.toString()).isTrue();
        assertThat(outcome.get("status").asInt()).isEqualTo(200);
        List<String> studies =
                outcome.get("studies").valueStream().map(JsonNode::asString).toList();
        assertThat(studies).as("studies, each once").doesNotHaveDuplicates();
        assertThat(new TreeSet<>(studies)).isEqualTo(studiesOfThePatient());
        String queryId = outcome.get("queryId").asString();
        assertThat(queryId).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        HttpAnswer status = FLEET.get("/api/v1/spanner/queries/" + queryId + "/status");
        assertThat(status.json().get("state").asString()).isEqualTo("COMPLETE");
    }

    @Test
    void aPageOfAnotherOriginIsRefusedByChromiumAfterThePreflight() throws Exception {
        Page page = openPage(OTHER_PAGES);
        JsonNode outcome = page.outcome();

        assertThat(outcome.get("fetched").asBoolean()).as(outcome.toString()).isFalse();
        assertThat(outcome.get("error").asString()).isEqualTo("TypeError: Failed to fetch");
        assertThat(page.console())
                .as("the browser's console")
                .anyMatch(line -> line.contains("from origin '" + origin(OTHER_PAGES) + "' has been blocked by CORS"
                        + " policy: Response to preflight request doesn't pass access control check"));
    }

    /** What a page wrote to {@code #result}, and what the browser logged while it ran. */
    private record Page(JsonNode outcome, List<String> console) {}

    private Page openPage(HttpServer pages) throws IOException {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                CHROMIUM + " or " + CHROMEDRIVER + " is not installed: scripts/dev-services.sh installs the Debian"
                        + " packages chromium and chromium-driver");
        String search = gatewayUrl() + "/dicomweb/" + configId + "/studies?PatientID=" + patientId;
        String url = origin(pages) + "/qido-page.html?search=" + URLEncoder.encode(search, StandardCharsets.UTF_8)
                + "&key=" + URLEncoder.encode(queryKey, StandardCharsets.UTF_8);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingPort(freePortOfThisClass())
                .withLogFile(FLEET.runDir().resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                // root in a container: no user namespaces for the sandbox; /dev/shm may be small
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(url);
            new WebDriverWait(browser, CLIENT_TIMEOUT)
                    .until(b -> "true".equals(b.findElement(By.id("result")).getDomAttribute("data-done")));
            JsonNode outcome =
                    Fleet.JSON.readTree(browser.findElement(By.id("result")).getText());
            List<String> console = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(LogEntry::getMessage)
                    .toList();
            return new Page(outcome, console);
        } finally {
            browser.quit();
        }
    }

    // ---- the page servers ----

    private String gatewayUrl() {
        return "http://127.0.0.1:" + FLEET.gateway().port();
    }

    private static String origin(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A static HTTP server on 127.0.0.1 and a port of this class serving the test page; bound now, started later. */
    private static HttpServer pageServer() {
        byte[] page;
        try (InputStream in = WebClientsTest.class.getResourceAsStream("/browser/qido-page.html")) {
            page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", freePortOfThisClass()), 0);
                server.createContext("/qido-page.html", exchange -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    exchange.sendResponseHeaders(200, page.length);
                    exchange.getResponseBody().write(page);
                    exchange.close();
                });
                return server;
            } catch (BindException e) {
                // taken between the probe and the bind: another port
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port for a page server in " + FIRST_PORT + "-" + LAST_PORT);
    }

    /** A port in this class's range that is free now. */
    private static int freePortOfThisClass() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = FIRST_PORT
                    + java.util.concurrent.ThreadLocalRandom.current().nextInt(LAST_PORT - FIRST_PORT + 1);
            try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException e) {
                // taken: another one
            }
        }
        throw new IllegalStateException("no free port in " + FIRST_PORT + "-" + LAST_PORT);
    }
}
