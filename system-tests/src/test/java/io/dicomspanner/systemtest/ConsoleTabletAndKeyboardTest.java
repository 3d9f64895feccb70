package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The console as a hospital uses it beyond a desktop mouse: with the keyboard alone (every control labelled, reached
 * with Tab, a search sent with Enter), on a tablet's screen (768 x 1024: no page wider than the screen, the answer's
 * table scrolling inside its box), and with the gateway gone (the page says so, and what it showed stays).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleTabletAndKeyboardTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("consolereach");

    /** The pages of an admin key, each a form or table a keyboard user must reach. */
    private static final List<String> PAGES = List.of(
            "/ui/",
            "/ui/admin/sources",
            "/ui/admin/sources/new",
            "/ui/admin/health",
            "/ui/admin/audit",
            "/ui/admin/configs",
            "/ui/admin/keys",
            "/ui/admin/query-log");

    /** Ids (or names) of the visible form controls of the page that have no label a screen reader would read. */
    private static final String UNLABELLED = "return Array.from(document.querySelectorAll("
            + "'input:not([type=hidden]), select, textarea'))"
            + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
            + " && !e.getAttribute('aria-labelledby'))"
            + ".map(e => e.id || e.name || e.outerHTML);";

    private ConsoleBrowser desktop;
    private ConsoleBrowser tablet;
    private DirectFind direct;
    private final List<DirectFind.Pacs> pacs = new ArrayList<>();
    private String base;
    private String adminKey;
    private String patientId;
    private Set<String> studies;

    @BeforeAll
    void startFleet() throws Exception {
        ConsoleBrowser.assumeInstalled();
        SimulatorProcess simulator = FLEET.startSimulator(2, 30, List.of("--latency-ms", "50"));
        List<Long> sources = new ArrayList<>();
        for (SimulatorProcess.Pacs p : simulator.pacs()) {
            sources.add(FLEET.registerSource(p.name(), p.aeTitle(), p.host(), p.port(), Map.of()));
            pacs.add(new DirectFind.Pacs(p.aeTitle(), p.host(), p.port()));
        }
        long config = FLEET.createConfig("Console Reach", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(config, sources);
        FLEET.startCoordinator("spanner-coordinator");
        FLEET.startWorker("dimse-query-worker", sources, Map.of());
        adminKey = FLEET.post("/api/v1/api-keys", Map.of("name", "console-reach", "scopes", List.of("admin")))
                .get("key")
                .asString();
        base = "http://127.0.0.1:" + FLEET.gateway().port();
        direct = FLEET.closeAfterAll(new DirectFind());
        Attributes first = direct.find(
                        pacs.get(0),
                        "STUDY",
                        DirectFind.keys("StudyDate", "19000101-20991231", "PatientID", "", "StudyInstanceUID", ""))
                .get(0);
        patientId = first.getString(Tag.PATIENT_ID);
        studies = new LinkedHashSet<>();
        for (DirectFind.Pacs p : pacs) {
            for (Attributes m :
                    direct.find(p, "STUDY", DirectFind.keys("PatientID", patientId, "StudyInstanceUID", ""))) {
                studies.add(m.getString(Tag.STUDY_INSTANCE_UID));
            }
        }
        desktop = ConsoleBrowser.start(FLEET.runDir(), "desktop", 1280, 800);
        tablet = ConsoleBrowser.start(FLEET.runDir(), "tablet", 768, 1024);
    }

    @AfterAll
    void stopBrowsers() {
        try {
            if (desktop != null) {
                desktop.close();
            }
        } finally {
            if (tablet != null) {
                tablet.close();
            }
        }
    }

    /** Presses Tab until the element with {@code id} has the focus; fails after 40 presses. */
    private static void tabTo(ConsoleBrowser browser, String id) {
        Actions keys = new Actions(browser.driver());
        for (int i = 0; i < 40; i++) {
            WebElement focused = browser.driver().switchTo().activeElement();
            if (id.equals(focused.getDomAttribute("id"))) {
                return;
            }
            keys.sendKeys(Keys.TAB).perform();
        }
        throw new AssertionError("#" + id + " not reached with 40 presses of Tab");
    }

    private void awaitStudies(ConsoleBrowser browser) {
        browser.awaitAnswer("#answer", "complete");
        assertThat(browser.findAll("#answer .results tr.record"))
                .extracting(r -> r.getDomAttribute("data-study-uid"))
                .containsExactlyInAnyOrderElementsOf(studies);
    }

    @Test
    @Order(1)
    void withTheKeyboardAloneAUserSignsInAndSearchesAndEveryControlIsLabelled() {
        desktop.driver().get(base + "/ui/");
        desktop.awaitElement("#sign-in-form");
        tabTo(desktop, "apiKey");
        new Actions(desktop.driver()).sendKeys(adminKey, Keys.ENTER).perform();
        desktop.awaitElement("#search-form");

        tabTo(desktop, "patientId");
        new Actions(desktop.driver()).sendKeys(patientId, Keys.ENTER).perform();
        awaitStudies(desktop);

        for (String page : PAGES) {
            desktop.driver().get(base + page);
            desktop.awaitElement("main");
            assertThat((List<?>) desktop.script(UNLABELLED))
                    .as("unlabelled controls on %s", page)
                    .isEmpty();
        }
    }

    @Test
    @Order(2)
    void onATabletNoPageIsWiderThanTheScreenAndTheAnswerScrollsInItsBox() throws Exception {
        tablet.driver().get(base + "/ui/");
        tablet.awaitElement("#sign-in-form");
        tablet.find("#apiKey").sendKeys(adminKey);
        tablet.find("#sign-in").click();
        tablet.awaitElement("#search-form");
        tablet.find("#patientId").sendKeys(patientId);
        tablet.find("#search").click();
        awaitStudies(tablet);

        long screen = width(tablet, "window.innerWidth");
        assertThat(screen).as("a tablet's width in CSS pixels").isBetween(700L, 800L);
        assertThat(width(tablet, "document.documentElement.scrollWidth"))
                .as("the search page with its answer")
                .isLessThanOrEqualTo(screen);
        assertThat(tablet.script("return getComputedStyle(document.querySelector('#answer')).overflowX;"))
                .isEqualTo("auto");
        assertThat(tablet.find("#search").isDisplayed()).isTrue();
        tablet.screenshot("tablet-search");

        for (String page : PAGES.subList(1, PAGES.size())) {
            tablet.driver().get(base + page);
            tablet.awaitElement("main");
            assertThat(width(tablet, "document.documentElement.scrollWidth"))
                    .as("width of %s", page)
                    .isLessThanOrEqualTo(screen);
        }
    }

    private static long width(ConsoleBrowser browser, String expression) {
        return ((Number) browser.script("return " + expression + ";")).longValue();
    }

    @Test
    @Order(3)
    void withTheGatewayGoneThePageSaysSoAndKeepsTheAnswerItShowed() {
        desktop.driver().get(base + "/ui/");
        desktop.awaitElement("#search-form");
        desktop.find("#patientId").sendKeys(patientId);
        desktop.find("#search").click();
        awaitStudies(desktop);
        assertThat(desktop.findAll("#gateway-unreachable")).isEmpty();

        FLEET.gateway().stop();
        desktop.find("#answer .results tr.record .drill").click();

        assertThat(desktop.awaitElement("#gateway-unreachable").getText())
                .isEqualTo("The gateway cannot be reached. What is shown stays as it was; the console tries again on"
                        + " its own and on your next action.");
        assertThat(desktop.find("#gateway-unreachable").getDomAttribute("role")).isEqualTo("alert");
        assertThat(desktop.findAll("#answer .results tr.record"))
                .extracting(r -> r.getDomAttribute("data-study-uid"))
                .containsExactlyInAnyOrderElementsOf(studies);
    }
}
