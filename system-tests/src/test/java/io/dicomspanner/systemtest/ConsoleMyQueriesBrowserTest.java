package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's "My queries" page in headless chromium against 2 simulated PACS: key A searches two patients, key B
 * one; A's list is exactly A's two queries, newest first, each {@code complete} with the number of studies the PACS
 * hold of its patient (asked alone); opening one shows its per-PACS panel and exactly those studies; B's list is
 * exactly B's query, and B cannot open A's. An admin key that searched nothing lists nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleMyQueriesBrowserTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("consolemine");

    private static final String ALL_DATES = "19000101-20991231";

    private final List<DirectFind.Pacs> pacs = new ArrayList<>();
    /** Per patient, the Study Instance UIDs the PACS hold (asked alone). */
    private final Map<String, Set<String>> studiesByPatient = new LinkedHashMap<>();

    private ConsoleBrowser browser;
    private ServerSocket hanging;
    private String base;
    private String keyA;
    private String keyB;
    private String adminKey;
    private final List<String> patients = new ArrayList<>();
    private final List<String> queriesOfA = new ArrayList<>();
    private String queryOfB;

    @BeforeAll
    void start() throws Exception {
        ConsoleBrowser.assumeInstalled();
        SimulatorProcess simulator = FLEET.startSimulator(2, 20, List.of());
        List<Long> sources = new ArrayList<>();
        for (SimulatorProcess.Pacs p : simulator.pacs()) {
            sources.add(FLEET.registerSource(p.name(), p.aeTitle(), p.host(), p.port(), Map.of()));
            pacs.add(new DirectFind.Pacs(p.aeTitle(), p.host(), p.port()));
        }
        long configId = FLEET.createConfig("Mine", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(configId, sources);
        // a PACS that takes the connection and never answers its association request: a query asking it runs until
        // the worker gives up on it
        hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        long hangingSource = FLEET.registerSource("HANGING", "HANGPACS", "127.0.0.1", hanging.getLocalPort(), Map.of());
        long slowConfig = FLEET.createConfig("Slow", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(slowConfig, List.of(sources.get(0), hangingSource));
        List<Long> served = new ArrayList<>(sources);
        served.add(hangingSource);
        FLEET.startCoordinator("spanner-coordinator");
        FLEET.startWorker("dimse-query-worker", served, Map.of());
        keyA = FLEET.post("/api/v1/api-keys", Map.of("name", "mine-a", "scopes", List.of("query")))
                .get("key")
                .asString();
        keyB = FLEET.post("/api/v1/api-keys", Map.of("name", "mine-b", "scopes", List.of("query")))
                .get("key")
                .asString();
        adminKey = FLEET.post("/api/v1/api-keys", Map.of("name", "mine-admin", "scopes", List.of("admin")))
                .get("key")
                .asString();
        base = "http://127.0.0.1:" + FLEET.gateway().port();
        DirectFind direct = FLEET.closeAfterAll(new DirectFind());
        for (DirectFind.Pacs p : pacs) {
            for (Attributes m : direct.find(
                    p, "STUDY", DirectFind.keys("StudyDate", ALL_DATES, "PatientID", "", "StudyInstanceUID", ""))) {
                studiesByPatient
                        .computeIfAbsent(m.getString(Tag.PATIENT_ID), id -> new LinkedHashSet<>())
                        .add(m.getString(Tag.STUDY_INSTANCE_UID));
            }
        }
        studiesByPatient.keySet().stream()
                .filter(id -> !id.startsWith("TMP"))
                .limit(3)
                .forEach(patients::add);
        assertThat(patients).as("patients of the simulated PACS").hasSize(3);
        browser = ConsoleBrowser.start(FLEET.runDir());
    }

    @AfterAll
    void stopBrowser() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (hanging != null) {
                hanging.close();
            }
        }
    }

    private void signIn(String key) {
        browser.signIn(base, key);
    }

    private void signOut() {
        browser.find("#sign-out button").click();
        browser.awaitElement("#sign-in-form");
    }

    /** Searches the studies of {@code patientId} from a fresh search page; the query's id once it ended complete. */
    private String search(String patientId) {
        browser.driver().get(base + "/ui/");
        browser.awaitElement("#search-form");
        browser.find("#patientId").sendKeys(patientId);
        browser.find("#search").click();
        awaitComplete(studiesByPatient.get(patientId).size());
        return browser.find("#answer .query").getDomAttribute("data-query-id");
    }

    /** The answer's rows in {@code #answer}, once its query ended complete. */
    private List<WebElement> awaitComplete(int expected) {
        browser.await(
                "the query to end complete",
                d -> d.findElements(By.cssSelector("#answer .progress[data-state='complete']"))
                                .size()
                        == 1);
        browser.awaitElement("#answer .results");
        List<WebElement> rows = browser.findAll("#answer .results tr.record");
        assertThat(rows).as("rows of the answer").hasSize(expected);
        return rows;
    }

    /** The "My queries" page, loaded until it lists {@code expected} queries (a query is logged once it ended). */
    private List<WebElement> myQueries(int expected) {
        return browser.await("my queries to list " + expected, d -> {
            d.get(base + "/ui/queries");
            List<WebElement> rows = d.findElements(By.cssSelector("#my-queries tr.record"));
            return rows.size() == expected ? rows : null;
        });
    }

    private static String cell(WebElement row, String css) {
        return row.findElement(By.cssSelector("td." + css)).getText();
    }

    @Test
    @Order(1)
    void keyAListsExactlyItsTwoQueriesNewestFirstCompleteWithTheirMatches() {
        signIn(keyA);
        queriesOfA.add(search(patients.get(0)));
        queriesOfA.add(search(patients.get(1)));
        signOut();
        signIn(keyB);
        queryOfB = search(patients.get(2));
        signOut();

        signIn(keyA);
        browser.find("#nav-my-queries").click();
        browser.awaitElement("h1");
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base + "/ui/queries");
        List<WebElement> rows = myQueries(2);
        assertThat(rows)
                .extracting(r -> r.getDomAttribute("data-query-id"))
                .containsExactly(queriesOfA.get(1), queriesOfA.get(0));
        assertThat(rows)
                .extracting(r ->
                        cell(r, "config") + " " + cell(r, "level") + " " + cell(r, "status") + " " + cell(r, "matches"))
                .containsExactly(
                        "Mine studies complete "
                                + studiesByPatient.get(patients.get(1)).size(),
                        "Mine studies complete "
                                + studiesByPatient.get(patients.get(0)).size());
        assertThat(rows)
                .extracting(r -> cell(r, "started"))
                .allSatisfy(started -> assertThat(started).matches("\\d{4}-\\d{2}-\\d{2}T.*Z"));
        assertThat(cell(rows.get(0), "started")).isGreaterThanOrEqualTo(cell(rows.get(1), "started"));
        assertThat(browser.find("#my-queries-summary").getText()).isEqualTo("Showing 1–2 of 2");
        String page = browser.driver().getPageSource();
        for (String patientId : patients) {
            assertThat(page).as("the list's page").doesNotContain(patientId);
        }
    }

    @Test
    @Order(2)
    void openingAQueryShowsItsPacsAndItsAnswer() {
        WebElement first = browser.find("#my-queries tr.record[data-query-id='" + queriesOfA.get(0) + "']");
        first.findElement(By.cssSelector("a.open-query")).click();
        List<WebElement> rows =
                awaitComplete(studiesByPatient.get(patients.get(0)).size());

        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base + "/ui/queries/" + queriesOfA.get(0));
        assertThat(browser.findAll("#answer .progress tr.source"))
                .extracting(s -> s.getDomAttribute("data-ae") + ":" + s.getDomAttribute("data-state"))
                .containsExactlyInAnyOrderElementsOf(
                        pacs.stream().map(p -> p.aeTitle() + ":done").toList());
        assertThat(rows.stream().map(r -> r.getDomAttribute("data-study-uid")).collect(Collectors.toSet()))
                .isEqualTo(studiesByPatient.get(patients.get(0)));
        assertThat(rows)
                .extracting(r -> r.findElement(By.cssSelector("td[data-keyword='PatientID']"))
                        .getText())
                .containsOnly(patients.get(0));
    }

    @Test
    @Order(3)
    void keyBListsOnlyItsQueryAndCannotOpenKeyAs() {
        signOut();
        signIn(keyB);
        List<WebElement> rows = myQueries(1);
        assertThat(rows).extracting(r -> r.getDomAttribute("data-query-id")).containsExactly(queryOfB);
        assertThat(cell(rows.get(0), "status")).isEqualTo("complete");
        assertThat(cell(rows.get(0), "matches"))
                .isEqualTo(
                        Integer.toString(studiesByPatient.get(patients.get(2)).size()));

        browser.driver().get(base + "/ui/queries/" + queriesOfA.get(0));
        assertThat(browser.awaitElement("#no-such-query").getText())
                .isEqualTo("No such query of this key (or its answer has expired).");
        assertThat(browser.findAll("#answer")).isEmpty();
    }

    @Test
    @Order(4)
    void anAdminKeyListsOnlyItsOwnQueries() {
        signOut();
        signIn(adminKey);
        browser.driver().get(base + "/ui/queries");
        assertThat(browser.awaitElement("#my-queries-summary").getText())
                .isEqualTo("No query of this key has ended yet.");
        assertThat(browser.findAll("#my-queries tr.record")).isEmpty();
    }

    @Test
    @Order(99)
    void aConsoleSearchStillRunningIsListedAsRunningAboveTheEndedOnes() throws Exception {
        String keyC = FLEET.post("/api/v1/api-keys", Map.of("name", "mine-c", "scopes", List.of("query")))
                .get("key")
                .asString();
        browser.driver().manage().deleteAllCookies(); // whoever signed in last
        signIn(keyC);
        new Select(browser.find("#configId")).selectByVisibleText("Slow");
        browser.find("#patientId").sendKeys(patients.get(0));
        browser.find("#search").click();
        String running = browser.awaitElement("#answer .query").getDomAttribute("data-query-id");

        browser.driver().get(base + "/ui/queries");
        List<WebElement> rows = browser.findAll("#my-running-queries tr.record");
        assertThat(rows).extracting(r -> r.getDomAttribute("data-query-id")).containsExactly(running);
        WebElement row = rows.get(0);
        assertThat(row.findElement(By.cssSelector(".status")).getText()).isEqualTo("running");
        assertThat(row.findElement(By.cssSelector(".config")).getText()).isEqualTo("Slow");
        assertThat(row.findElement(By.cssSelector(".level")).getText()).isEqualTo("studies");
        assertThat(browser.find("#my-queries-summary").getText()).isEqualTo("No query of this key has ended yet.");
        assertThat(browser.driver().getPageSource()).doesNotContain(patients.get(0));
        signOut();
    }
}
