package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * The console's administration of API keys, spanning configs and the query log, and the sorting and CSV export of
 * results, in real headless chromium windows of 1280 x 800 against a running spanner (gateway, coordinator, worker, 3
 * simulated PACS). A key created in the console signs in a second browser and is refused there at its next action once
 * the admin revokes it; a config's sources are added, re-prioritised and removed as the admin API then shows them; the
 * query log finds the test's own search by its Patient ID; a sorted table and its CSV hold the whole answer in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleAdminKeysBrowserTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("consoleadmin");

    private static final String ALL_DATES = "19000101-20991231";
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 800;

    private final Map<String, DirectFind.Pacs> pacsByAe = new LinkedHashMap<>();
    private final Map<String, Long> sourceByAe = new LinkedHashMap<>();
    private final List<String> aeTitles = new ArrayList<>();

    private DirectFind direct;
    private ConsoleBrowser browser;
    private String base;
    private String adminKey;
    private long configId;
    private String patientId;
    /** The key created in the console, and its id. */
    private String secondKey;

    private long secondKeyId;

    @BeforeAll
    void startFleet() throws Exception {
        ConsoleBrowser.assumeInstalled();
        SimulatorProcess simulator = FLEET.startSimulator(3, 30, List.of());
        for (SimulatorProcess.Pacs p : simulator.pacs()) {
            sourceByAe.put(p.aeTitle(), FLEET.registerSource(p.name(), p.aeTitle(), p.host(), p.port(), Map.of()));
            pacsByAe.put(p.aeTitle(), new DirectFind.Pacs(p.aeTitle(), p.host(), p.port()));
            aeTitles.add(p.aeTitle());
        }
        configId = FLEET.createConfig("Admin Fleet", Fleet.comparedConfig(Map.of()));
        // the first two PACS are mapped; the third is registered only, for the console to add
        FLEET.mapSources(configId, List.of(sourceByAe.get(aeTitles.get(0)), sourceByAe.get(aeTitles.get(1))));
        FLEET.createConfig("Other Fleet", Fleet.comparedConfig(Map.of()));
        FLEET.startCoordinator("spanner-coordinator");
        FLEET.startWorker("dimse-query-worker", sourceByAe.values(), Map.of());
        adminKey = FLEET.post("/api/v1/api-keys", Map.of("name", "keys-admin", "scopes", List.of("admin")))
                .get("key")
                .asString();
        base = "http://127.0.0.1:" + FLEET.gateway().port();
        direct = FLEET.closeAfterAll(new DirectFind());
        browser = ConsoleBrowser.start(FLEET.runDir(), "chromium", WIDTH, HEIGHT);
        signIn(browser, adminKey);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private void signIn(ConsoleBrowser in, String key) {
        in.signIn(base, key);
    }

    /** Clicks {@code css} and waits for the next page to replace this one (a plain form POST or link). */
    private void clickAndAwaitPage(String css) {
        WebElement html = browser.find("html");
        browser.find(css).click();
        browser.await("the next page after " + css, d -> {
            try {
                html.isDisplayed();
                return false;
            } catch (StaleElementReferenceException e) {
                // the old page is gone: the next one replaced it
                return true;
            } catch (WebDriverException e) {
                // chromedriver's way of saying the same while the new document takes over: "Node with given id does
                // not belong to the document"
                if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                    return true;
                }
                throw e;
            }
        });
        browser.awaitElement("body");
    }

    private void type(String css, String value) {
        WebElement field = browser.find(css);
        field.clear();
        field.sendKeys(value);
    }

    private JsonNode mappings() throws Exception {
        return FLEET.get("/api/v1/config/spanner/" + configId + "/sources/")
                .json()
                .get("items");
    }

    private Map<Long, JsonNode> mappingsBySource() throws Exception {
        Map<Long, JsonNode> bySource = new LinkedHashMap<>();
        for (JsonNode m : mappings()) {
            bySource.put(m.get("source_id").asLong(), m);
        }
        return bySource;
    }

    @Test
    @Order(1)
    void anAdminCreatesAKeyWhoseSecretIsShownOnceAndNeverListed() throws Exception {
        clickAndAwaitPage("#nav-keys");
        clickAndAwaitPage("#create-key");
        assertThat(browser.find("#name-problem").getText()).isEqualTo("must not be blank");
        assertThat(browser.find("#key-name-input").getDomAttribute("aria-invalid"))
                .isEqualTo("true");

        type("#key-name-input", "console-second");
        browser.find("#scope-query").click();
        browser.find("#allow-" + configId).click();
        clickAndAwaitPage("#create-key");

        String secret = browser.awaitElement("#new-key-secret").getDomProperty("value");
        assertThat(secret).hasSizeGreaterThan(30);
        assertThat(browser.find("#created-name").getText()).isEqualTo("console-second");
        assertThat(browser.find("#copy-key").getDomAttribute("data-copy-target"))
                .isEqualTo("new-key-secret");
        WebElement row = browser.find("#keys tr[data-key-name='console-second']");
        long keyId = Long.parseLong(row.getDomAttribute("data-key-id"));
        assertThat(row.findElements(By.cssSelector("td")).stream()
                        .limit(4)
                        .map(WebElement::getText)
                        .toList())
                .containsExactly(Long.toString(keyId), "console-second", "query", "Admin Fleet");
        assertThat(row.findElement(By.cssSelector("td.state")).getText()).isEqualTo("active");
        browser.screenshot("admin-keys-created");
        JsonNode stored = FLEET.get("/api/v1/api-keys/" + keyId).json();
        assertThat(stored.get("allowed_config_ids").get(0).asLong()).isEqualTo(configId);
        assertThat(stored.get("created_by").asString()).isEqualTo("api-key:keys-admin");

        browser.driver().get(base + "/ui/admin/keys");
        browser.awaitElement("#keys");
        assertThat(browser.findAll("#new-key-secret"))
                .as("the secret shown again")
                .isEmpty();
        assertThat(browser.driver().getPageSource()).doesNotContain(secret);
        assertThat(browser.find("#keys tr[data-key-name='console-second'] td.state")
                        .getText())
                .isEqualTo("active");
        Cookie session = browser.driver().manage().getCookieNamed("SPANNER_CONSOLE");
        HttpResponse<String> forged = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/ui/admin/keys/" + keyId + "/revoke"))
                                .header("Cookie", "SPANNER_CONSOLE=" + session.getValue())
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(""))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode())
                .as("a revocation without the CSRF token")
                .isEqualTo(403);
        assertThat(FLEET.get("/api/v1/api-keys/" + keyId).json().get("active").asBoolean())
                .isTrue();
        secondKey = secret;
        secondKeyId = keyId;
    }

    @Test
    @Order(2)
    void aKeyRevokedByTheAdminIsRefusedInItsOpenSessionAtItsNextAction() throws Exception {
        try (ConsoleBrowser second = ConsoleBrowser.start(FLEET.runDir(), "second", WIDTH, HEIGHT)) {
            signIn(second, secondKey);
            assertThat(second.find("#key-name").getText()).isEqualTo("console-second");
            assertThat(second.findAll("#nav-admin")).as("Administration link").isEmpty();
            assertThat(second.findAll("#configId option"))
                    .extracting(o -> o.getDomAttribute("value") + "=" + o.getText())
                    .containsExactly(configId + "=Admin Fleet");
            second.driver().get(base + "/ui/admin/keys");
            assertThat(second.awaitElement("#forbidden").isDisplayed()).isTrue();
            second.driver().get(base + "/ui/");
            second.awaitElement("#search-form");

            clickAndAwaitPage("#keys tr[data-key-id='" + secondKeyId + "'] button.revoke");
            assertThat(browser.awaitElement("#revoked-notice").getText())
                    .isEqualTo("Key " + secondKeyId + " is revoked.");
            assertThat(browser.find("#keys tr[data-key-id='" + secondKeyId + "'] td.state")
                            .getText())
                    .isEqualTo("revoked by api-key:keys-admin");
            assertThat(browser.findAll("#keys tr[data-key-id='" + secondKeyId + "'] button.revoke"))
                    .isEmpty();

            second.find("#patientId").sendKeys("ANYONE");
            second.find("#search").click();
            second.await(
                    "the sign-in page after the revocation",
                    d -> d.getCurrentUrl().equals(base + "/ui/sign-in?revoked"));
            assertThat(second.awaitElement("#revoked").getText())
                    .isEqualTo("The API key of your session has been revoked. Sign in with another key.");
        }
        JsonNode revoked = FLEET.get("/api/v1/audit-events?entity_type=api_key")
                .json()
                .get("items")
                .get(0);
        assertThat(revoked.get("action").asString()).isEqualTo("revoked");
        assertThat(revoked.get("actor").asString()).isEqualTo("api-key:keys-admin");
    }

    @Test
    @Order(3)
    void aConfigsSourcesAreAddedReprioritisedAndRemovedWithEachProblemBesideItsField() throws Exception {
        String a = aeTitles.get(0);
        String b = aeTitles.get(1);
        String c = aeTitles.get(2);
        clickAndAwaitPage("#nav-configs");
        clickAndAwaitPage("#configs tr[data-config-id='" + configId + "'] a.config-link");
        assertThat(browser.find("#config-name").getText()).isEqualTo("Admin Fleet");
        assertThat(browser.findAll("#mappings tr.mapping"))
                .extracting(r -> r.getDomAttribute("data-ae"))
                .containsExactly(a, b);
        long mappingB = mappingsBySource().get(sourceByAe.get(b)).get("id").asLong();
        String rowB = "#mappings tr[data-mapping-id='" + mappingB + "']";

        type(rowB + " input.priority", "0");
        clickAndAwaitPage(rowB + " button.save");
        assertThat(browser.find("#mapping-" + mappingB + "-priority-problem").getText())
                .isEqualTo("must be between 1 and 1000");
        assertThat(browser.find(rowB + " input.priority").getDomAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(mappingsBySource().get(sourceByAe.get(b)).get("priority").asInt())
                .isEqualTo(2);

        type(rowB + " input.priority", "5");
        type(rowB + " input.timeout", "9");
        clickAndAwaitPage(rowB + " button.save");
        assertThat(browser.find("#done").getText()).isEqualTo("The source's priority and timeout are saved.");
        JsonNode changed = mappingsBySource().get(sourceByAe.get(b));
        assertThat(changed.get("priority").asInt()).isEqualTo(5);
        assertThat(changed.get("timeout_override").asInt()).isEqualTo(9);

        browser.find("#add-sourceId option[value='" + sourceByAe.get(c) + "']").click();
        type("#add-priority", "3");
        type("#add-timeoutOverride", "5000");
        clickAndAwaitPage("#add-source");
        assertThat(browser.find("#add-timeoutOverride-problem").getText()).isEqualTo("must be between 1 and 3600");
        assertThat(mappingsBySource()).doesNotContainKey(sourceByAe.get(c));
        type("#add-timeoutOverride", "7");
        clickAndAwaitPage("#add-source");
        assertThat(browser.find("#done").getText()).isEqualTo("The source is added.");
        JsonNode added = mappingsBySource().get(sourceByAe.get(c));
        assertThat(added.get("priority").asInt()).isEqualTo(3);
        assertThat(added.get("timeout_override").asInt()).isEqualTo(7);
        assertThat(browser.findAll("#mappings tr.mapping"))
                .extracting(r -> r.getDomAttribute("data-ae"))
                .containsExactly(a, c, b);

        browser.find("#failureStrategy option[value='minimum_threshold']").click();
        clickAndAwaitPage("#save-failure");
        assertThat(browser.find("#minimumSuccessThreshold-problem").getText())
                .isEqualTo("is required when failure_strategy is minimum_threshold");
        type("#minimumSuccessThreshold", "2");
        clickAndAwaitPage("#save-failure");
        assertThat(browser.find("#done").getText()).isEqualTo("The failure strategy is saved.");
        JsonNode config = FLEET.get("/api/v1/config/spanner/" + configId).json();
        assertThat(config.get("failure_strategy").asString()).isEqualTo("minimum_threshold");
        assertThat(config.get("minimum_success_threshold").asInt()).isEqualTo(2);
        browser.screenshot("admin-config");

        long mappingC = added.get("id").asLong();
        clickAndAwaitPage("#mappings tr[data-mapping-id='" + mappingC + "'] button.remove");
        assertThat(browser.find("#done").getText()).isEqualTo("The source is removed from this config.");
        assertThat(mappingsBySource().keySet()).containsExactly(sourceByAe.get(a), sourceByAe.get(b));
        browser.find("#failureStrategy option[value='partial_results']").click();
        type("#minimumSuccessThreshold", "");
        clickAndAwaitPage("#save-failure");
        assertThat(FLEET.get("/api/v1/config/spanner/" + configId)
                        .json()
                        .get("failure_strategy")
                        .asString())
                .isEqualTo("partial_results");
        JsonNode events = FLEET.get("/api/v1/audit-events?entity_type=source_mapping")
                .json()
                .get("items");
        assertThat(events.get(0).get("action").asString()).isEqualTo("deleted");
        assertThat(events.get(0).get("actor").asString()).isEqualTo("api-key:keys-admin");
    }

    /** Searches studies by Patient ID in the console and returns the query's id once its answer is shown. */
    private String searchPatient(String patient) {
        browser.driver().get(base + "/ui/");
        browser.awaitElement("#search-form");
        browser.find("#patientId").sendKeys(patient);
        browser.find("#search").click();
        browser.awaitAnswer("#answer", "complete");
        return browser.find("#answer .query").getDomAttribute("data-query-id");
    }

    /** Every study of the config's PACS (the first two) holding the patient, asked alone; by UID, first copy first. */
    private Map<String, Attributes> studiesOf(String keyName, String keyValue) throws Exception {
        Map<String, Attributes> studies = new LinkedHashMap<>();
        for (String ae : aeTitles.subList(0, 2)) {
            for (Attributes m : direct.find(
                    pacsByAe.get(ae),
                    "STUDY",
                    DirectFind.keys("StudyInstanceUID", "", "StudyDate", "", "PatientID", "", keyName, keyValue))) {
                studies.putIfAbsent(m.getString(Tag.STUDY_INSTANCE_UID), m);
            }
        }
        return studies;
    }

    @Test
    @Order(4)
    void theQueryLogFindsTheSearchMadeByItsPatientIdAndNothingOutsideTheDates() throws Exception {
        patientId = direct
                .find(
                        pacsByAe.get(aeTitles.get(0)),
                        "STUDY",
                        DirectFind.keys("StudyDate", ALL_DATES, "PatientID", "", "StudyInstanceUID", ""))
                .stream()
                .map(m -> m.getString(Tag.PATIENT_ID))
                .filter(id -> !id.startsWith("TMP"))
                .findFirst()
                .orElseThrow();
        String queryId = searchPatient(patientId);
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        browser.driver().get(base + "/ui/admin/query-log");
        browser.awaitElement("#query-log-form");
        setDate("#log-from", today);
        setDate("#log-to", today);
        type("#log-patientId", patientId);
        List<WebElement> rows = List.of();
        long deadline = System.nanoTime() + ConsoleBrowser.WAIT.toNanos();
        while (rows.isEmpty() && System.nanoTime() < deadline) {
            // the coordinator writes the log row when the query ends; ask again until it is there
            clickAndAwaitPage("#search-log");
            rows = browser.findAll("#log tr.record");
            if (rows.isEmpty()) {
                Thread.sleep(500);
            }
        }
        assertThat(rows).extracting(r -> r.getDomAttribute("data-query-id")).containsExactly(queryId);
        assertThat(rows.get(0).findElement(By.cssSelector("td.status")).getText())
                .isEqualTo("completed");
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base + "/ui/admin/query-log");
        assertThat(browser.find("#log-patientId").getDomProperty("value")).isEqualTo(patientId);
        browser.screenshot("admin-query-log");

        setDate("#log-from", "2001-01-01");
        setDate("#log-to", "2001-01-31");
        clickAndAwaitPage("#search-log");
        assertThat(browser.find("#log-results .summary").getText()).isEqualTo("No logged query matches.");

        setDate("#log-from", today);
        setDate("#log-to", today);
        type("#log-patientId", patientId + "X");
        clickAndAwaitPage("#search-log");
        assertThat(browser.find("#log-results .summary").getText()).isEqualTo("No logged query matches.");

        type("#log-patientId", "");
        clickAndAwaitPage("#search-log");
        assertThat(browser.findAll("#log tr.record"))
                .extracting(r -> r.getDomAttribute("data-query-id"))
                .contains(queryId);
        JsonNode audited =
                FLEET.get("/api/v1/audit-events?entity_type=query_log").json().get("items");
        assertThat(audited.get(0).get("action").asString()).isEqualTo("searched");
        assertThat(Files.readString(FLEET.runDir().resolve("api-gateway.log")))
                .as("the gateway's log")
                .doesNotContain(patientId);
    }

    /** A date input's value as a date picker sets it (typing into one depends on the browser's locale). */
    private void setDate(String css, String isoDate) {
        ((JavascriptExecutor) browser.driver())
                .executeScript("arguments[0].value = arguments[1];", browser.find(css), isoDate);
    }

    private List<String> column(String keyword) {
        return browser.findAll("#answer .results td[data-keyword='" + keyword + "']").stream()
                .map(WebElement::getText)
                .toList();
    }

    private void sortBy(String keyword, String direction) {
        browser.find("#answer .results th button.sort[data-keyword='" + keyword + "']")
                .click();
        browser.await(
                "the answer sorted by " + keyword + " " + direction,
                d -> !d.findElements(By.cssSelector(
                                "#answer .results .summary[data-sort='" + keyword + "'][data-dir='" + direction + "']"))
                        .isEmpty());
    }

    @Test
    @Order(5)
    void aClickedColumnSortsTheWholeAnswerBothWays() throws Exception {
        List<String> dates = studiesOf("StudyDate", ALL_DATES).values().stream()
                .map(m -> m.getString(Tag.STUDY_DATE))
                .map(da -> da.substring(0, 4) + "-" + da.substring(4, 6) + "-" + da.substring(6))
                .sorted()
                .toList();
        assertThat(dates.size()).as("studies, more than a page").isGreaterThan(50);
        browser.driver().get(base + "/ui/");
        browser.awaitElement("#search-form");
        browser.find("#studyDateFrom").sendKeys("1900-01-01");
        browser.find("#studyDateTo").sendKeys("2099-12-31");
        browser.find("#search").click();
        browser.await(
                "the search to end complete",
                d -> d.findElements(By.cssSelector("#answer .progress[data-state='complete']"))
                                .size()
                        == 1);
        browser.awaitElement("#answer .results");

        sortBy("StudyDate", "asc");
        assertThat(column("StudyDate")).isEqualTo(dates.subList(0, 50));
        assertThat(browser.find("#answer .results th[aria-sort='ascending'] button")
                        .getText())
                .isEqualTo("Study Date");

        sortBy("StudyDate", "desc");
        List<String> descending =
                dates.stream().sorted(Comparator.reverseOrder()).toList();
        assertThat(column("StudyDate")).isEqualTo(descending.subList(0, 50));
        browser.screenshot("results-sorted");

        browser.find("#answer .results button.next").click();
        browser.await(
                "the second page",
                d -> browser.find("#answer .results .first").getText().equals("51"));
        assertThat(column("StudyDate")).isEqualTo(descending.subList(50, Math.min(100, descending.size())));
    }

    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    @Test
    @Order(6)
    void exportGivesTheWholeAnswerAsCsvInTheTablesOrder() throws Exception {
        Map<String, Attributes> expected = studiesOf("PatientID", patientId);
        searchPatient(patientId);
        sortBy("StudyDate", "asc");
        List<WebElement> rows = browser.findAll("#answer .results tr.record");
        assertThat(rows).hasSize(expected.size());
        List<String> keywords = browser.findAll("#answer .results th button.sort").stream()
                .map(b -> b.getDomAttribute("data-keyword"))
                .toList();
        StringBuilder csv = new StringBuilder(
                "Patient Name,Patient ID,Birth Date,Study Date,Modalities,Accession,Description,# Series,"
                        + "# Instances,PACS,Study Instance UID\r\n");
        for (WebElement row : rows) {
            List<String> fields = new ArrayList<>();
            for (String keyword : keywords) {
                fields.add(row.findElement(By.cssSelector("td[data-keyword='" + keyword + "']"))
                        .getText());
            }
            fields.add(row.findElements(By.cssSelector("td.pacs .badge")).stream()
                    .map(WebElement::getText)
                    .collect(Collectors.joining(" ")));
            fields.add(row.getDomAttribute("data-study-uid"));
            csv.append(fields.stream()
                            .map(ConsoleAdminKeysBrowserTest::csvField)
                            .collect(Collectors.joining(",")))
                    .append("\r\n");
        }
        assertThat(column("PatientID")).containsOnly(patientId);
        assertThat(rows.stream().map(r -> r.getDomAttribute("data-study-uid")).collect(Collectors.toSet()))
                .isEqualTo(Set.copyOf(expected.keySet()));
        String href = browser.find("#answer .results a.export").getDomProperty("href");
        String queryId = browser.find("#answer .query").getDomAttribute("data-query-id");
        assertThat(href)
                .isEqualTo(base + "/ui/queries/" + queryId + "/export.csv?sort=StudyDate&dir=asc")
                .doesNotContain(patientId);

        Cookie session = browser.driver().manage().getCookieNamed("SPANNER_CONSOLE");
        HttpResponse<byte[]> export = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(href))
                                .header("Cookie", "SPANNER_CONSOLE=" + session.getValue())
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());

        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).hasValue("text/csv;charset=UTF-8");
        assertThat(export.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"query-" + queryId + ".csv\"");
        assertThat(new String(export.body(), StandardCharsets.UTF_8)).isEqualTo(csv.toString());
        HttpResponse<String> anonymous = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(href)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("without the session: to sign-in").isEqualTo(302);
        assertThat(Files.readString(FLEET.runDir().resolve("api-gateway.log")))
                .as("the gateway's log")
                .doesNotContain(patientId);
    }
}
