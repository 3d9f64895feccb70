package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.match.InvalidMatchingKeyException;
import io.dicomspanner.dicom.match.KeyValidator;
import io.dicomspanner.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * The web console in a real headless chromium against a running spanner (gateway, coordinator, worker, 3 simulated
 * PACS): sign in with an API key, search by patient, watch every PACS reach "done", see the studies with the values
 * and PACS badges the PACS give when asked alone, drill down to series and instances; a POST without the session's
 * CSRF token is refused; a query-scope key sees no Administration. Screenshots of the screens go to docs/ui/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("console");

    private static final String ALL_DATES = "19000101-20991231";

    private final Map<String, DirectFind.Pacs> pacsByAe = new LinkedHashMap<>();
    /** AE titles in mapping priority: the first holder's values win (first_wins). */
    private final List<String> priority = new ArrayList<>();
    /** The source name of each PACS of the conflicts fleet, by AE title. */
    private final Map<String, String> nameByAe = new HashMap<>();

    private DirectFind direct;
    private ConsoleBrowser browser;
    private String base;
    private String adminKey;
    private String queryKey;
    private long configId;
    private long partialConfigId;
    private long conflictsConfigId;
    /** A larger fleet of its own, whose replicas include copies under a temporary Patient ID. */
    private final Map<String, DirectFind.Pacs> conflictsPacsByAe = new LinkedHashMap<>();

    private final List<String> conflictsPriority = new ArrayList<>();
    private String patientId;

    @BeforeAll
    void startFleet() throws Exception {
        ConsoleBrowser.assumeInstalled();
        SimulatorProcess simulator = FLEET.startSimulator(3, 30, List.of("--latency-ms", "300"));
        List<Long> sources = new ArrayList<>();
        for (SimulatorProcess.Pacs p : simulator.pacs()) {
            sources.add(FLEET.registerSource(p.name(), p.aeTitle(), p.host(), p.port(), Map.of()));
            pacsByAe.put(p.aeTitle(), new DirectFind.Pacs(p.aeTitle(), p.host(), p.port()));
            priority.add(p.aeTitle());
        }
        configId = FLEET.createConfig("Console Fleet", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(configId, sources);
        // nothing listens on the dead PACS's port: its part of a search fails at once (connection refused)
        long dead = FLEET.registerSource("DEAD", "DEADPACS", "127.0.0.1", FreePorts.one(), Map.of());
        partialConfigId = FLEET.createConfig("Console Partial", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(partialConfigId, List.of(sources.get(0), dead));
        List<Long> served = new ArrayList<>(sources);
        served.add(dead);
        // 1 500 patients: enough replicated studies for some to have a copy under a temporary Patient ID
        SimulatorProcess conflicted =
                FLEET.startSimulator(3, 1500, List.of("--latency-ms", "50"), "pacs-simulator-conflicts");
        List<Long> conflictsSources = new ArrayList<>();
        for (SimulatorProcess.Pacs p : conflicted.pacs()) {
            String name = p.name() + "_2";
            conflictsSources.add(FLEET.registerSource(name, p.aeTitle(), p.host(), p.port(), Map.of()));
            conflictsPacsByAe.put(p.aeTitle(), new DirectFind.Pacs(p.aeTitle(), p.host(), p.port()));
            conflictsPriority.add(p.aeTitle());
            nameByAe.put(p.aeTitle(), name);
        }
        conflictsConfigId = FLEET.createConfig("Console With Conflicts", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(conflictsConfigId, conflictsSources);
        served.addAll(conflictsSources);
        FLEET.startCoordinator("spanner-coordinator");
        FLEET.startWorker("dimse-query-worker", served, Map.of());
        adminKey = FLEET.post("/api/v1/api-keys", Map.of("name", "console-admin", "scopes", List.of("admin")))
                .get("key")
                .asString();
        queryKey = FLEET.post("/api/v1/api-keys", Map.of("name", "console-query", "scopes", List.of("query")))
                .get("key")
                .asString();
        base = "http://127.0.0.1:" + FLEET.gateway().port();
        direct = FLEET.closeAfterAll(new DirectFind());
        browser = ConsoleBrowser.start(FLEET.runDir());
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    /** What the PACS answer alone: per UID, the AE titles holding it (in priority order) and the first holder's copy. */
    private record Expected(Map<String, List<String>> holders, Map<String, Attributes> firstCopy) {}

    private Expected askEachPacs(String level, int uidTag, Map<String, String> keys) throws Exception {
        Map<String, List<String>> holders = new LinkedHashMap<>();
        Map<String, Attributes> first = new HashMap<>();
        for (String ae : priority) {
            for (Attributes m : direct.find(pacsByAe.get(ae), level, keys)) {
                String uid = m.getString(uidTag);
                holders.computeIfAbsent(uid, u -> new ArrayList<>()).add(ae);
                first.putIfAbsent(uid, m);
            }
        }
        return new Expected(holders, first);
    }

    /** A patient with a study on two PACS or more. */
    private String replicatedPatient() throws Exception {
        Map<String, Set<String>> aesByPatient = new LinkedHashMap<>();
        for (String ae : priority) {
            for (Attributes m : direct.find(
                    pacsByAe.get(ae),
                    "STUDY",
                    DirectFind.keys("StudyDate", ALL_DATES, "PatientID", "", "StudyInstanceUID", ""))) {
                aesByPatient
                        .computeIfAbsent(m.getString(Tag.PATIENT_ID), p -> new LinkedHashSet<>())
                        .add(ae);
            }
        }
        return aesByPatient.entrySet().stream()
                .filter(e -> e.getValue().size() >= 2 && !e.getKey().startsWith("TMP"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no patient on two PACS: " + aesByPatient));
    }

    private void signIn(String key) {
        browser.signIn(base, key);
    }

    private void signOut() {
        browser.find("#sign-out button").click();
        browser.awaitElement("#sign-in-form");
    }

    /** The rows of the results in {@code section}, once its query has ended complete and its first page is shown. */
    private List<WebElement> awaitRows(String section, int expected) {
        return awaitRows(section, "complete", expected);
    }

    /** The rows of the results in {@code section}, once its query has ended in {@code state}. */
    private List<WebElement> awaitRows(String section, String state, int expected) {
        browser.awaitAnswer(section, state);
        List<WebElement> rows = browser.findAll(section + " .results tr.record");
        assertThat(rows).as("rows in %s", section).hasSize(expected);
        return rows;
    }

    private static String cell(WebElement row, String keyword) {
        return row.findElement(By.cssSelector("td[data-keyword='" + keyword + "']"))
                .getText();
    }

    private static Set<String> badges(WebElement row) {
        return row.findElements(By.cssSelector("td.pacs .badge")).stream()
                .map(WebElement::getText)
                .collect(Collectors.toSet());
    }

    private static String date(String da) {
        return da == null ? "" : da.substring(0, 4) + "-" + da.substring(4, 6) + "-" + da.substring(6);
    }

    @Test
    @Order(1)
    void signingInWithAnAdminKeyOpensTheSearchWithAnHttpOnlyStrictSessionCookie() throws Exception {
        browser.driver().get(base + "/ui/");
        browser.awaitElement("#sign-in-form");
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base + "/ui/sign-in");
        browser.screenshot("sign-in");

        browser.find("#apiKey").sendKeys(adminKey);
        browser.find("#sign-in").click();
        browser.awaitElement("#search-form");

        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base + "/ui/");
        assertThat(browser.find("#key-name").getText()).isEqualTo("console-admin");
        assertThat(browser.find("#nav-admin").getText()).isEqualTo("Administration");
        assertThat(browser.findAll("#configId option"))
                .extracting(o -> o.getDomAttribute("value") + "=" + o.getText())
                .containsExactly(
                        configId + "=Console Fleet",
                        partialConfigId + "=Console Partial",
                        conflictsConfigId + "=Console With Conflicts");
        Cookie cookie = browser.driver().manage().getCookieNamed("SPANNER_CONSOLE");
        assertThat(cookie).as("session cookie").isNotNull();
        assertThat(cookie.isHttpOnly()).as("HttpOnly").isTrue();
        assertThat(cookie.getSameSite()).as("SameSite").isEqualTo("Strict");
        assertThat(cookie.getPath()).isEqualTo("/ui/");
        assertThat(cookie.isSecure()).as("Secure over plain HTTP").isFalse();
        JsonNode events = FLEET.get("/api/v1/audit-events?entity_type=console_session")
                .json()
                .get("items");
        assertThat(events.get(0).get("action").asString()).isEqualTo("signed_in");
        assertThat(events.get(0).get("outcome").asString()).isEqualTo("success");
        assertThat(events.get(0).get("actor").asString()).isEqualTo("api-key:console-admin");
        assertThat(events.get(0).get("actor_address").asString()).isEqualTo("127.0.0.1");
    }

    @Test
    @Order(2)
    void searchingByPatientShowsEveryStudyWithThePacsThatHoldItAndEveryPacsDone() throws Exception {
        patientId = replicatedPatient();
        Expected expected = askEachPacs(
                "STUDY",
                Tag.STUDY_INSTANCE_UID,
                DirectFind.keys(
                        "PatientID",
                        patientId,
                        "StudyInstanceUID",
                        "",
                        "PatientName",
                        "",
                        "PatientBirthDate",
                        "",
                        "StudyDate",
                        "",
                        "AccessionNumber",
                        ""));

        browser.find("#patientId").sendKeys(patientId);
        browser.find("#search").click();
        List<WebElement> rows = awaitRows("#answer", expected.holders().size());

        List<WebElement> sources = browser.findAll("#answer .progress tr.source");
        assertThat(sources)
                .extracting(s -> s.getDomAttribute("data-ae") + ":" + s.getDomAttribute("data-state"))
                .containsExactlyInAnyOrderElementsOf(
                        priority.stream().map(ae -> ae + ":done").toList());
        for (WebElement source : sources) {
            String ae = source.getDomAttribute("data-ae");
            long held = expected.holders().values().stream()
                    .filter(h -> h.contains(ae))
                    .count();
            assertThat(source.findElement(By.cssSelector(".detail")).getText())
                    .as("detail of %s", ae)
                    .matches(held + " match(es)? in [0-9]+ ms");
        }
        assertThat(browser.findAll("#answer .partial")).as("no partial answer").isEmpty();
        assertThat(browser.find("#answer .results .total").getText())
                .isEqualTo(Integer.toString(expected.holders().size()));
        Set<String> shown = new LinkedHashSet<>();
        for (WebElement row : rows) {
            String uid = row.getDomAttribute("data-study-uid");
            shown.add(uid);
            Attributes first = expected.firstCopy().get(uid);
            assertThat(first).as("study %s is one the PACS hold", uid).isNotNull();
            assertThat(cell(row, "PatientID")).isEqualTo(patientId);
            assertThat(cell(row, "PatientName")).as("name of %s", uid).isEqualTo(first.getString(Tag.PATIENT_NAME));
            assertThat(cell(row, "PatientBirthDate"))
                    .as("birth date of %s", uid)
                    .isEqualTo(date(first.getString(Tag.PATIENT_BIRTH_DATE)));
            assertThat(cell(row, "StudyDate")).as("date of %s", uid).isEqualTo(date(first.getString(Tag.STUDY_DATE)));
            assertThat(cell(row, "AccessionNumber"))
                    .as("accession of %s", uid)
                    .isEqualTo(
                            first.getString(Tag.ACCESSION_NUMBER) == null ? "" : first.getString(Tag.ACCESSION_NUMBER));
            assertThat(badges(row))
                    .as("PACS of %s", uid)
                    .isEqualTo(Set.copyOf(expected.holders().get(uid)));
        }
        assertThat(shown).isEqualTo(expected.holders().keySet());
        String gatewayLog = Files.readString(FLEET.runDir().resolve("api-gateway.log"));
        assertThat(gatewayLog).as("the gateway's log").doesNotContain(patientId);
        for (Attributes copy : expected.firstCopy().values()) {
            assertThat(gatewayLog).as("the gateway's log").doesNotContain(copy.getString(Tag.PATIENT_NAME));
        }
        browser.screenshot("search-results");
    }

    @Test
    @Order(3)
    void aStudyDrillsDownToItsSeriesAndASeriesToItsInstances() throws Exception {
        WebElement study = browser.findAll("#answer .results tr.record").get(0);
        String studyUid = study.getDomAttribute("data-study-uid");
        Expected series = askEachPacs(
                "SERIES",
                Tag.SERIES_INSTANCE_UID,
                DirectFind.keys("StudyInstanceUID", studyUid, "SeriesInstanceUID", "", "Modality", ""));

        study.findElement(By.cssSelector("button.drill")).click();
        List<WebElement> seriesRows =
                awaitRows("#series-answer", series.holders().size());

        for (WebElement row : seriesRows) {
            String uid = row.getDomAttribute("data-series-uid");
            assertThat(row.getDomAttribute("data-study-uid")).isEqualTo(studyUid);
            assertThat(series.holders())
                    .as("series %s is one the PACS hold", uid)
                    .containsKey(uid);
            assertThat(cell(row, "SeriesInstanceUID")).isEqualTo(uid);
            assertThat(cell(row, "Modality"))
                    .isEqualTo(series.firstCopy().get(uid).getString(Tag.MODALITY));
            assertThat(badges(row))
                    .as("PACS of %s", uid)
                    .isEqualTo(Set.copyOf(series.holders().get(uid)));
        }
        String seriesUid = seriesRows.get(0).getDomAttribute("data-series-uid");
        Expected instances = askEachPacs(
                "IMAGE",
                Tag.SOP_INSTANCE_UID,
                DirectFind.keys("StudyInstanceUID", studyUid, "SeriesInstanceUID", seriesUid, "SOPInstanceUID", ""));

        seriesRows.get(0).findElement(By.cssSelector("button.drill")).click();
        List<WebElement> instanceRows =
                awaitRows("#instances-answer", instances.holders().size());

        Set<String> sops = new LinkedHashSet<>();
        for (WebElement row : instanceRows) {
            String uid = row.getDomAttribute("data-sop-uid");
            sops.add(uid);
            assertThat(row.getDomAttribute("data-series-uid")).isEqualTo(seriesUid);
            assertThat(cell(row, "SOPInstanceUID")).isEqualTo(uid);
            assertThat(badges(row))
                    .as("PACS of %s", uid)
                    .isEqualTo(Set.copyOf(instances.holders().get(uid)));
        }
        assertThat(sops).isEqualTo(instances.holders().keySet());
        browser.scrollTo("#series-answer");
        browser.screenshot("drill-down");
    }

    @Test
    @Order(4)
    void aPostWithoutTheSessionsCsrfTokenIsRefusedWith403() throws Exception {
        Cookie session = browser.driver().manage().getCookieNamed("SPANNER_CONSOLE");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String form = "configId=" + configId + "&level=studies&patientId=X";

        HttpResponse<String> without = http.send(
                HttpRequest.newBuilder(URI.create(base + "/ui/search"))
                        .header("Cookie", "SPANNER_CONSOLE=" + session.getValue())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = http.send(
                HttpRequest.newBuilder(URI.create(base + "/ui/search"))
                        .header("Cookie", "SPANNER_CONSOLE=" + session.getValue())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-CSRF-Token", "not-the-token")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> refused : List.of(without, wrong)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("<h1>403 Forbidden</h1>");
            assertThat(refused.headers().firstValue("Content-Security-Policy"))
                    .hasValue("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
                            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        }
    }

    @Test
    @Order(5)
    void aQueryScopeKeySeesNoAdministrationAndAnUnknownKeyIsRefusedAndAudited() throws Exception {
        signOut();
        browser.find("#apiKey").sendKeys("not-a-key-" + configId);
        browser.find("#sign-in").click();
        assertThat(browser.awaitElement("#sign-in-error").getText()).isEqualTo("That API key is unknown or revoked.");
        JsonNode refused = FLEET.get("/api/v1/audit-events?entity_type=console_session")
                .json()
                .get("items")
                .get(0);
        assertThat(refused.get("action").asString()).isEqualTo("refused");
        assertThat(refused.get("outcome").asString()).isEqualTo("refused");
        assertThat(refused.get("actor").asString()).isEqualTo("anonymous");

        browser.find("#apiKey").clear();
        signIn(queryKey);

        assertThat(browser.find("#key-name").getText()).isEqualTo("console-query");
        assertThat(browser.findAll("#nav-admin")).as("Administration link").isEmpty();
        browser.driver().get(base + "/ui/admin/sources");
        assertThat(browser.awaitElement("#forbidden").isDisplayed()).isTrue();
    }

    @Test
    @Order(6)
    void aPacsThatDoesNotAnswerIsNamedAndTheOthersStudiesAreShown() throws Exception {
        String first = priority.get(0);
        List<Attributes> held = direct.find(
                pacsByAe.get(first), "STUDY", DirectFind.keys("PatientID", patientId, "StudyInstanceUID", ""));
        browser.driver().get(base + "/ui/");
        browser.awaitElement("#search-form");
        browser.find("#configId option[value='" + partialConfigId + "']").click();
        browser.find("#patientId").sendKeys(patientId);
        browser.find("#search").click();

        List<WebElement> rows = awaitRows("#answer", "partial", held.size());

        assertThat(browser.findAll("#answer .progress tr.source"))
                .extracting(s -> s.getDomAttribute("data-ae") + ":" + s.getDomAttribute("data-state"))
                .containsExactlyInAnyOrder(first + ":done", "DEADPACS:failed");
        assertThat(browser.find("#answer tr.source[data-ae='DEADPACS'] .detail").getText())
                .startsWith("connection failed");
        assertThat(browser.find("#answer .partial").getText())
                .isEqualTo("Partial answer: these PACS did not answer, their records are missing: DEAD (failed).");
        assertThat(rows.stream().map(r -> r.getDomAttribute("data-study-uid")).collect(Collectors.toSet()))
                .isEqualTo(DirectFind.studyUids(held));
        for (WebElement row : rows) {
            assertThat(badges(row)).isEqualTo(Set.of(first));
        }
    }

    @Test
    @Order(7)
    void aLargeAnswerIsPagedAndItsPagesTogetherHoldEveryStudyOnce() throws Exception {
        Set<String> union = askEachPacs(
                        "STUDY",
                        Tag.STUDY_INSTANCE_UID,
                        DirectFind.keys("StudyDate", ALL_DATES, "StudyInstanceUID", ""))
                .holders()
                .keySet();
        assertThat(union.size())
                .as("studies of the fleet, enough for three pages")
                .isGreaterThan(100);
        browser.driver().get(base + "/ui/");
        browser.awaitElement("#search-form");
        browser.find("#studyDateFrom").sendKeys("1900-01-01");
        browser.find("#studyDateTo").sendKeys("20991231");
        browser.find("#search").click();
        awaitRows("#answer", 50);

        List<String> seen = new ArrayList<>();
        int firstRow = 1;
        while (true) {
            assertThat(browser.find("#answer .results .summary").getText())
                    .isEqualTo("Showing " + firstRow + "–" + Math.min(firstRow + 49, union.size()) + " of "
                            + union.size());
            List<WebElement> rows = browser.findAll("#answer .results tr.record");
            rows.forEach(r -> seen.add(r.getDomAttribute("data-study-uid")));
            List<WebElement> next = browser.findAll("#answer .results button.next");
            if (next.isEmpty()) {
                break;
            }
            String lastUid = rows.get(rows.size() - 1).getDomAttribute("data-study-uid");
            next.get(0).click();
            int expectedFirst = firstRow + 50;
            browser.await(
                    "page from row " + expectedFirst,
                    d -> browser.find("#answer .results .first").getText().equals(Integer.toString(expectedFirst))
                            && !browser.findAll("#answer .results tr.record")
                                    .get(0)
                                    .getDomAttribute("data-study-uid")
                                    .equals(lastUid));
            firstRow = expectedFirst;
        }
        assertThat(seen).as("every study once").doesNotHaveDuplicates();
        assertThat(Set.copyOf(seen)).isEqualTo(union);
    }

    @Test
    @Order(8)
    void badInputIsNamedNextToTheFormWith400AndNothingIsSearched() throws Exception {
        String message;
        try {
            KeyValidator.validate(Tag.PATIENT_BIRTH_DATE, VR.DA, "19641345");
            throw new AssertionError("19641345 passed as a date");
        } catch (InvalidMatchingKeyException e) {
            message = e.getMessage();
        }
        long searchesBefore = FLEET.get("/api/v1/audit-events?entity_type=query")
                .json()
                .get("total_items")
                .asLong();
        browser.driver().get(base + "/ui/");
        browser.awaitElement("#search-form");
        browser.find("#birthDate").sendKeys("1964-13-45");
        browser.find("#search").click();

        WebElement problem = browser.awaitElement("#answer .problems li.problem");
        assertThat(problem.getDomAttribute("data-field")).isEqualTo("birthDate");
        assertThat(problem.getText()).isEqualTo("PatientBirthDate: " + message);

        browser.find("#birthDate").clear();
        browser.find("#search").click();
        browser.await(
                "the empty form's problem",
                d -> browser.find("#answer .problems li.problem")
                        .getText()
                        .equals("fill in at least one search field"));
        assertThat(browser.find("#answer .problems li.problem").getDomAttribute("data-field"))
                .isEqualTo("form");
        String token = browser.find("#search-form input[name='_csrf']").getDomProperty("value");
        Cookie session = browser.driver().manage().getCookieNamed("SPANNER_CONSOLE");
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/ui/search"))
                                .header("Cookie", "SPANNER_CONSOLE=" + session.getValue())
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + token + "&configId=" + configId
                                        + "&level=studies&birthDate=1964-13-45"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).contains("data-field=\"birthDate\">PatientBirthDate: ");
        assertThat(FLEET.get("/api/v1/audit-events?entity_type=query")
                        .json()
                        .get("total_items")
                        .asLong())
                .as("searches audited")
                .isEqualTo(searchesBefore);
    }

    @Test
    @Order(9)
    void eachRowWhoseCopiesDisagreeOnPatientIdIsMarkedWithThePacsThatHoldThem() throws Exception {
        // What the PACS hold alone: per study, its Patient ID on each PACS holding it, in priority order.
        Map<String, Map<String, String>> patientIdByAe = new LinkedHashMap<>();
        Map<String, String> dateOf = new HashMap<>();
        for (String ae : conflictsPriority) {
            for (Attributes m : direct.find(
                    conflictsPacsByAe.get(ae),
                    "STUDY",
                    DirectFind.keys("StudyDate", ALL_DATES, "StudyInstanceUID", "", "PatientID", ""))) {
                String uid = m.getString(Tag.STUDY_INSTANCE_UID);
                patientIdByAe.computeIfAbsent(uid, u -> new LinkedHashMap<>()).put(ae, m.getString(Tag.PATIENT_ID));
                dateOf.put(uid, m.getString(Tag.STUDY_DATE));
            }
        }
        String conflicting = patientIdByAe.entrySet().stream()
                .filter(e -> Set.copyOf(e.getValue().values()).size() > 1 && dateOf.get(e.getKey()) != null)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no study of the fleet has copies under two Patient IDs"));
        String day = dateOf.get(conflicting);
        Map<String, String> expectedNotes = new HashMap<>();
        Set<String> sameDay = new LinkedHashSet<>();
        for (Map.Entry<String, Map<String, String>> e : patientIdByAe.entrySet()) {
            if (!day.equals(dateOf.get(e.getKey()))) {
                continue;
            }
            sameDay.add(e.getKey());
            if (Set.copyOf(e.getValue().values()).size() > 1) {
                expectedNotes.put(
                        e.getKey(),
                        "The copies on "
                                + e.getValue().keySet().stream()
                                        .map(nameByAe::get)
                                        .collect(Collectors.joining(", "))
                                + " disagree on Patient ID");
            }
        }

        browser.driver().get(base + "/ui/");
        browser.awaitElement("#search-form");
        browser.find("#configId option[value='" + conflictsConfigId + "']").click();
        browser.find("#studyDateFrom").sendKeys(day);
        browser.find("#studyDateTo").sendKeys(day);
        browser.find("#search").click();
        List<WebElement> rows = awaitRows("#answer", sameDay.size());

        assertThat(browser.find("#answer .conflicts").getText())
                .isEqualTo(
                        expectedNotes.size() + " record(s) have copies on different PACS that disagree on Patient ID.");
        Map<String, String> shownNotes = new HashMap<>();
        for (WebElement row : rows) {
            String uid = row.getDomAttribute("data-study-uid");
            List<WebElement> notes = row.findElements(By.cssSelector("td.pacs .conflict-note"));
            List<WebElement> marks = row.findElements(By.cssSelector("td.pacs .conflict-badge"));
            boolean tinted = row.getDomAttribute("class").contains("conflicting");
            if (notes.isEmpty()) {
                assertThat(marks).as("conflict badge of %s", uid).isEmpty();
                assertThat(tinted).as("row of %s tinted", uid).isFalse();
            } else {
                assertThat(marks).as("conflict badge of %s", uid).hasSize(1);
                assertThat(marks.get(0).getText()).isEqualTo("conflict");
                assertThat(tinted).as("row of %s tinted", uid).isTrue();
                shownNotes.put(uid, notes.get(0).getText());
            }
        }
        assertThat(shownNotes).isEqualTo(expectedNotes);
        String gatewayLog = Files.readString(FLEET.runDir().resolve("api-gateway.log"));
        assertThat(gatewayLog).as("the gateway's log").doesNotContain(conflicting);
    }
}
