package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

/**
 * The console's administration in a real headless chromium at 1280x800, against a gateway and a worker serving every
 * enabled source (2 simulated PACS and a dead one registered through the admin API, a third simulated PACS left for
 * the console): a source with a bad AE title is refused beside that field with what was typed kept, then saved once
 * corrected (submitted from the keyboard), its connection tested by a C-ECHO of its worker, edited, disabled and
 * deleted, each change in the audit trail as the admin API records it; a source a config maps is not deleted, unless
 * asked to with its mappings; the health table shows the fleet's PACS up and the dead one down with its error; the
 * audit trail pages; a change POSTed without the session's CSRF token is refused; a query-scope key gets none of these
 * pages. Screenshots of the screens go to docs/ui/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleAdminSourcesBrowserTest {

    private static final int AUDIT_PAGE_SIZE = 5;

    @RegisterExtension
    static final Fleet FLEET = new Fleet("consolesrc")
            .withServiceEnvironment(Map.of("SPANNER_CONSOLE_PAGESIZE", Integer.toString(AUDIT_PAGE_SIZE)));

    private ConsoleBrowser browser;
    private String base;
    private String adminKey;
    private String queryKey;
    private List<SimulatorProcess.Pacs> fleetPacs;
    private SimulatorProcess.Pacs consolePacs;
    private final List<Long> fleetIds = new ArrayList<>();
    private long configId;
    private long deadId;
    private long createdId;

    @BeforeAll
    void startFleet() throws Exception {
        ConsoleBrowser.assumeInstalled();
        SimulatorProcess simulator = FLEET.startSimulator(3, 5, List.of());
        fleetPacs = simulator.pacs().subList(0, 2);
        consolePacs = simulator.pacs().get(2);
        for (SimulatorProcess.Pacs p : fleetPacs) {
            fleetIds.add(FLEET.registerSource(p.name(), p.aeTitle(), p.host(), p.port(), Map.of()));
        }
        // nothing listens on the dead PACS's port: its echo fails at once
        deadId = FLEET.registerSource("DEAD", "DEADPACS", "127.0.0.1", FreePorts.one(), Map.of());
        configId = FLEET.createConfig("Admin Fleet", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(configId, fleetIds);
        // no source listed: the worker serves every enabled source, and takes up a new one within a second
        FLEET.startWorker("dimse-query-worker", List.of(), Map.of("SPANNER_WORKER_SOURCEREFRESH", "1s"));
        adminKey = FLEET.post("/api/v1/api-keys", Map.of("name", "console-sources-admin", "scopes", List.of("admin")))
                .get("key")
                .asString();
        queryKey = FLEET.post("/api/v1/api-keys", Map.of("name", "console-sources-query", "scopes", List.of("query")))
                .get("key")
                .asString();
        base = "http://127.0.0.1:" + FLEET.gateway().port();
        browser = ConsoleBrowser.start(FLEET.runDir());
        browser.driver().manage().window().setSize(new Dimension(1280, 800));
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private void signIn(String key) {
        browser.signIn(base, key);
    }

    private WebElement row(String name) {
        return browser.awaitElement("#sources tr[data-source='" + name + "']");
    }

    private String cell(WebElement row, String css) {
        return row.findElement(By.cssSelector(css)).getText();
    }

    private JsonNode sourcesOfTheApi() throws Exception {
        return FLEET.get("/api/v1/sources").json();
    }

    /** Presses "Test connection" on the source's row and returns the outcome shown. */
    private String testConnection(String name) {
        WebElement row = row(name);
        row.findElement(By.cssSelector(".test-connection")).click();
        return browser.await("the outcome of the C-ECHO of " + name, d -> {
            List<WebElement> outcome = row(name).findElements(By.cssSelector(".echo-outcome"));
            return outcome.isEmpty() ? null : outcome.get(0).getText();
        });
    }

    @Test
    @Order(1)
    void aSourceWithABadAeTitleIsRefusedBesideThatFieldThenSavedOnceCorrected() throws Exception {
        signIn(adminKey);
        assertThat(browser.find("#nav-admin").getText()).isEqualTo("Administration");
        assertThat(browser.find("#nav-health").getText()).isEqualTo("Source health");
        assertThat(browser.find("#nav-audit").getText()).isEqualTo("Audit trail");
        browser.find("#nav-admin").click();
        browser.awaitElement("#add-source").click();
        browser.awaitElement("#source-form");

        browser.find("#name").sendKeys("Console PACS");
        browser.find("#aeTitle").sendKeys("THIS_AE_TITLE_IS_TOO_LONG");
        browser.find("#host").sendKeys(consolePacs.host());
        browser.find("#port").sendKeys(Integer.toString(consolePacs.port()));
        browser.find("#location").sendKeys("north-campus");
        browser.find("#save").click();

        assertThat(browser.awaitElement("#form-problem").getText())
                .isEqualTo("Nothing was saved: correct the fields marked below.");
        assertThat(browser.find("#aeTitle-error").getText()).isEqualTo("must be at most 16 characters (an AE title)");
        assertThat(browser.find("#aeTitle").getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findAll(".field-error"))
                .extracting(WebElement::getText)
                .filteredOn(text -> !text.isEmpty())
                .containsExactly("must be at most 16 characters (an AE title)");
        // beside the field: on the AE title's line of the form, right of its input
        WebElement input = browser.find("#aeTitle");
        WebElement error = browser.find("#aeTitle-error");
        assertThat(error.getLocation().getY())
                .isBetween(
                        input.getLocation().getY() - 5,
                        input.getLocation().getY() + input.getSize().getHeight());
        assertThat(error.getLocation().getX())
                .isGreaterThan(input.getLocation().getX() + input.getSize().getWidth());
        assertThat(browser.find("#name").getDomProperty("value")).isEqualTo("Console PACS");
        assertThat(browser.find("#aeTitle").getDomProperty("value")).isEqualTo("THIS_AE_TITLE_IS_TOO_LONG");
        assertThat(browser.find("#host").getDomProperty("value")).isEqualTo(consolePacs.host());
        assertThat(browser.find("#port").getDomProperty("value")).isEqualTo(Integer.toString(consolePacs.port()));
        assertThat(browser.find("#location").getDomProperty("value")).isEqualTo("north-campus");
        assertThat(sourcesOfTheApi().get("total_items").asLong())
                .as("sources saved")
                .isEqualTo(3);
        browser.screenshot("admin-source-error");

        browser.find("#aeTitle").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        browser.find("#aeTitle").sendKeys("PACS\\C");
        browser.find("#aeTitle").sendKeys(Keys.ENTER);
        assertThat(browser.awaitElement("#aeTitle-error").getText()).isEqualTo("must not contain a backslash");
        assertThat(browser.find("#aeTitle").getDomProperty("value")).isEqualTo("PACS\\C");

        browser.find("#aeTitle").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        browser.find("#aeTitle").sendKeys(consolePacs.aeTitle(), Keys.ENTER);

        assertThat(browser.awaitElement("#notice").getText()).isEqualTo("Source Console PACS created.");
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base + "/ui/admin/sources");
        WebElement created = row("Console PACS");
        assertThat(created.findElements(By.tagName("td")).subList(0, 7))
                .extracting(WebElement::getText)
                .containsExactly(
                        "Console PACS",
                        consolePacs.aeTitle(),
                        consolePacs.host(),
                        Integer.toString(consolePacs.port()),
                        "no",
                        "north-campus",
                        "yes");
        JsonNode api = sourcesOfTheApi();
        assertThat(api.get("total_items").asLong()).isEqualTo(4);
        JsonNode saved = api.get("items").get(3);
        createdId = saved.get("id").asLong();
        assertThat(saved.get("name").asString()).isEqualTo("Console PACS");
        assertThat(saved.get("ae_title").asString()).isEqualTo(consolePacs.aeTitle());
        assertThat(saved.get("port").asInt()).isEqualTo(consolePacs.port());
        assertThat(saved.get("calling_ae_title").asString()).isEqualTo("SPANNER");
        assertThat(saved.get("max_associations").asInt()).isEqualTo(4);
        assertThat(saved.get("query_timeout_seconds").asInt()).isEqualTo(30);
        assertThat(saved.get("tls_verify_hostname").asBoolean()).isTrue();
        assertThat(saved.get("enabled").asBoolean()).isTrue();
        assertThat(saved.get("location").asString()).isEqualTo("north-campus");
    }

    @Test
    @Order(2)
    void testConnectionShowsTheEchoOfTheSourcesWorkerSucceededOrFailedWithItsReason() throws Exception {
        awaitServed(createdId);

        String outcome = testConnection("Console PACS");

        assertThat(outcome).matches("Success: C-ECHO answered in \\d+ ms");
        JsonNode health = FLEET.get("/api/v1/sources/" + createdId + "/health").json();
        assertThat(health.get("state").asString()).isEqualTo("up");
        assertThat(outcome)
                .isEqualTo("Success: C-ECHO answered in "
                        + health.get("latency_millis").asLong() + " ms");

        String failed = testConnection("DEAD");
        JsonNode down = FLEET.get("/api/v1/sources/" + deadId + "/health").json();
        assertThat(down.get("state").asString()).isEqualTo("down");
        assertThat(down.get("error").asString()).isNotBlank();
        assertThat(failed).isEqualTo("Failed: " + down.get("error").asString());
        browser.screenshot("admin-sources");
    }

    @Test
    @Order(3)
    void aSourceIsEditedDisabledThenDeletedAndAMappedOneIsNotDeleted() throws Exception {
        row("Console PACS").findElement(By.cssSelector("a.edit")).click();
        assertThat(browser.awaitElement("h1").getText()).isEqualTo("Edit Console PACS");
        assertThat(browser.find("#aeTitle").getDomProperty("value")).isEqualTo(consolePacs.aeTitle());
        assertThat(browser.find("#location").getDomProperty("value")).isEqualTo("north-campus");
        browser.find("#maxAssociations").clear();
        browser.find("#maxAssociations").sendKeys("2");
        browser.find("#save").click();
        assertThat(browser.awaitElement("#notice").getText()).isEqualTo("Source Console PACS saved.");
        assertThat(FLEET.get("/api/v1/sources/" + createdId)
                        .json()
                        .get("max_associations")
                        .asInt())
                .isEqualTo(2);

        // the page still shows the save's notice: wait for the page the click leads to before reading its notice
        WebElement saved = browser.find("html");
        row("Console PACS").findElement(By.cssSelector("button.toggle")).click();
        browser.await(
                "the page after Disable",
                d -> ExpectedConditions.stalenessOf(saved).apply(d));

        assertThat(browser.awaitElement("#notice").getText()).isEqualTo("Source Console PACS disabled.");
        assertThat(cell(row("Console PACS"), ".enabled")).isEqualTo("no");
        assertThat(cell(row("Console PACS"), "button.toggle")).isEqualTo("Enable");
        assertThat(FLEET.get("/api/v1/sources/" + createdId)
                        .json()
                        .get("enabled")
                        .asBoolean())
                .isFalse();

        row("Console PACS").findElement(By.cssSelector("a.delete")).click();
        assertThat(browser.awaitElement("h1").getText()).isEqualTo("Delete Console PACS?");
        browser.find("#delete").click();

        assertThat(browser.awaitElement("#notice").getText()).isEqualTo("Source Console PACS deleted.");
        assertThat(browser.findAll("#sources tr.record"))
                .extracting(r -> r.findElement(By.cssSelector(".name")).getText())
                .containsExactly(
                        "DEAD", fleetPacs.get(0).name(), fleetPacs.get(1).name());
        assertThat(FLEET.get("/api/v1/sources/" + createdId).status()).isEqualTo(404);
        browser.driver().get(base + "/ui/admin/sources/" + createdId + "/edit");
        assertThat(browser.awaitElement("#not-found").getText()).isEqualTo("No DICOM source with id " + createdId);

        browser.driver().get(base + "/ui/admin/sources");
        row(fleetPacs.get(0).name()).findElement(By.cssSelector("a.delete")).click();
        browser.awaitElement("#delete").click();
        assertThat(browser.awaitElement("#problem").getText())
                .isEqualTo("DICOM source " + fleetIds.get(0) + " is still mapped into spanner config(s) [" + configId
                        + "]; remove the mappings first or delete with ?cascade=true");
        assertThat(FLEET.get("/api/v1/sources/" + fleetIds.get(0)).status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void theHealthTableShowsTheFleetsPacsUpAndADeadOneDownWithItsError() throws Exception {
        browser.driver().get(base + "/ui/admin/sources");
        for (SimulatorProcess.Pacs p : fleetPacs) {
            assertThat(testConnection(p.name())).matches("Success: C-ECHO answered in \\d+ ms");
        }

        browser.find("#nav-health").click();
        browser.awaitElement("#health");

        assertThat(browser.findAll("#health tr.record"))
                .extracting(r -> r.findElement(By.cssSelector(".name")).getText())
                .containsExactly(
                        "DEAD", fleetPacs.get(0).name(), fleetPacs.get(1).name());
        for (SimulatorProcess.Pacs p : fleetPacs) {
            JsonNode health =
                    FLEET.get("/api/v1/sources/" + idOf(p.name()) + "/health").json();
            assertThat(healthCells(p.name()))
                    .containsExactly(
                            p.name(),
                            p.aeTitle(),
                            p.host() + ":" + p.port(),
                            "yes",
                            "up",
                            health.get("latency_millis").asLong() + " ms",
                            "",
                            health.get("checked_at").asString());
        }
        JsonNode down = FLEET.get("/api/v1/sources/" + deadId + "/health").json();
        assertThat(healthCells("DEAD").subList(3, 8))
                .containsExactly(
                        "yes",
                        "down",
                        down.get("latency_millis").asLong() + " ms",
                        down.get("error").asString(),
                        down.get("checked_at").asString());
        browser.screenshot("admin-health");
    }

    @Test
    @Order(5)
    void theAuditTrailShowsTheSignInAndTheSourceChangesPaged() throws Exception {
        browser.find("#nav-audit").click();
        browser.awaitElement("#audit");
        long total = FLEET.get("/api/v1/audit-events").json().get("total_items").asLong();

        assertThat(browser.find("#audit-count").getText()).isEqualTo("Events 1–5 of " + total);
        // newest first: the delete, the disable, the edit, the creation, the sign-in
        String actor = "api-key:console-sources-admin";
        assertThat(auditRows())
                .startsWith(
                        List.of(actor, "dicom_source " + createdId, "deleted", "success"),
                        List.of(actor, "dicom_source " + createdId, "updated", "success"),
                        List.of(actor, "dicom_source " + createdId, "updated", "success"),
                        List.of(actor, "dicom_source " + createdId, "created", "success"),
                        List.of(actor, "console_session", "signed_in", "success"));
        assertThat(auditRows()).isEqualTo(auditRowsOfTheApi(0));
        assertThat(browser.findAll("#previous")).isEmpty();
        browser.screenshot("admin-audit");

        browser.find("#next").click();
        assertThat(browser.awaitElement("#audit-count").getText())
                .isEqualTo("Events 6–" + Math.min(10, total) + " of " + total);
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base + "/ui/admin/audit?page=1");
        assertThat(auditRows()).isEqualTo(auditRowsOfTheApi(1));
        assertThat(browser.findAll("#previous")).hasSize(1);
    }

    @Test
    @Order(6)
    void aChangePostedWithoutTheSessionsCsrfTokenIsRefusedWith403AndNothingChanges() throws Exception {
        Cookie session = browser.driver().manage().getCookieNamed("SPANNER_CONSOLE");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long mapped = fleetIds.get(1);
        Map<String, String> posts = Map.of(
                "/ui/admin/sources",
                "name=Forged&aeTitle=FORGED&host=127.0.0.1&port=104&informationModels=study_root&enabled=true",
                "/ui/admin/sources/" + deadId + "/enabled",
                "enabled=false",
                "/ui/admin/sources/" + deadId + "/delete",
                "",
                "/ui/admin/sources/" + mapped + "/echo",
                "");
        for (Map.Entry<String, String> post : posts.entrySet()) {
            HttpResponse<String> refused = http.send(
                    HttpRequest.newBuilder(URI.create(base + post.getKey()))
                            .header("Cookie", "SPANNER_CONSOLE=" + session.getValue())
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(post.getValue()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(post.getKey()).isEqualTo(403);
            assertThat(refused.body()).as(post.getKey()).contains("<h1>403 Forbidden</h1>");
        }
        JsonNode api = sourcesOfTheApi();
        assertThat(api.get("total_items").asLong())
                .as("no source created or deleted")
                .isEqualTo(3);
        assertThat(FLEET.get("/api/v1/sources/" + deadId).json().get("enabled").asBoolean())
                .as("not disabled")
                .isTrue();
    }

    @Test
    @Order(7)
    void aMappedSourceIsDeletedWithItsMappingsWhenAskedTo() throws Exception {
        String name = fleetPacs.get(0).name();
        browser.driver().get(base + "/ui/admin/sources");
        row(name).findElement(By.cssSelector("a.delete")).click();
        browser.awaitElement("#cascade").click();
        browser.find("#delete").click();

        assertThat(browser.awaitElement("#notice").getText()).isEqualTo("Source " + name + " deleted.");
        assertThat(FLEET.get("/api/v1/sources/" + fleetIds.get(0)).status()).isEqualTo(404);
        JsonNode mappings = FLEET.get("/api/v1/config/spanner/" + configId + "/sources")
                .json()
                .get("items");
        assertThat(mappings).hasSize(1);
        assertThat(mappings.get(0).get("source_id").asLong()).isEqualTo(fleetIds.get(1));
        List<List<String>> audited = auditRowsOfTheApi(0);
        assertThat(audited.get(0))
                .containsExactly(
                        "api-key:console-sources-admin", "dicom_source " + fleetIds.get(0), "deleted", "success");
        assertThat(audited.get(1).get(1)).startsWith("source_mapping ");
        assertThat(List.of(audited.get(1).get(0), audited.get(1).get(2)))
                .containsExactly("api-key:console-sources-admin", "deleted");
    }

    @Test
    @Order(8)
    void aQueryScopeKeyGetsNoAdministrationPage() throws Exception {
        browser.find("#sign-out button").click();
        browser.awaitElement("#sign-in-form");
        signIn(queryKey);

        assertThat(browser.findAll("#nav-admin, #nav-health, #nav-audit")).isEmpty();
        for (String page :
                List.of("/ui/admin/sources", "/ui/admin/sources/new", "/ui/admin/health", "/ui/admin/audit")) {
            browser.driver().get(base + page);
            assertThat(browser.awaitElement("#forbidden").isDisplayed())
                    .as(page)
                    .isTrue();
        }
    }

    /** The cells of the source's row of the health table. */
    private List<String> healthCells(String name) {
        return browser.find("#health tr[data-source='" + name + "']").findElements(By.tagName("td")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** Each row of the audit page: who, what, action, outcome. */
    private List<List<String>> auditRows() {
        return browser.findAll("#audit tr.record").stream()
                .map(r -> List.of(
                        r.findElement(By.cssSelector(".who")).getText(),
                        r.findElement(By.cssSelector(".what")).getText(),
                        r.findElement(By.cssSelector(".action")).getText(),
                        r.findElement(By.cssSelector(".outcome")).getText()))
                .toList();
    }

    /** The same columns of a page of the admin API's audit events, {@value #AUDIT_PAGE_SIZE} a page. */
    private static List<List<String>> auditRowsOfTheApi(int page) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode event : FLEET.get("/api/v1/audit-events?size=" + AUDIT_PAGE_SIZE + "&page=" + page)
                .json()
                .get("items")) {
            JsonNode id = event.get("entity_id");
            rows.add(List.of(
                    event.get("actor").asString(),
                    event.get("entity_type").asString() + (id == null || id.isNull() ? "" : " " + id.asLong()),
                    event.get("action").asString(),
                    event.get("outcome").asString()));
        }
        return rows;
    }

    private long idOf(String name) throws Exception {
        for (JsonNode source : sourcesOfTheApi().get("items")) {
            if (source.get("name").asString().equals(name)) {
                return source.get("id").asLong();
            }
        }
        throw new AssertionError("no source " + name);
    }

    /** Waits (60 s) until a worker serves the new source: the admin API's echo is routed (202, not 503). */
    private static void awaitServed(long sourceId) throws Exception {
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (FLEET.postAnswer("/api/v1/sources/" + sourceId + "/health/echo", Map.of())
                        .status()
                != 202) {
            if (System.nanoTime() >= giveUp) {
                throw new AssertionError("no worker took up source " + sourceId + " in 60 s");
            }
            Thread.sleep(250);
        }
    }
}
