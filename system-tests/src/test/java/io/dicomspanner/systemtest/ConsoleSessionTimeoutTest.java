package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A console session left unused longer than {@code spanner.console.session-idle-timeout} (5 s here) is over: the next
 * search, POSTed by htmx, sends the browser back to the sign-in page, which says why; nothing is searched. Only the
 * gateway runs: no query gets as far as a coordinator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleSessionTimeoutTest {

    @RegisterExtension
    static final Fleet FLEET =
            new Fleet("consoleidle").withServiceEnvironment(Map.of("SPANNER_CONSOLE_SESSIONIDLETIMEOUT", "5s"));

    private ConsoleBrowser browser;
    private String base;
    private String queryKey;

    @BeforeAll
    void start() throws Exception {
        ConsoleBrowser.assumeInstalled();
        FLEET.createConfig("Idle", Fleet.comparedConfig(Map.of()));
        queryKey = FLEET.post("/api/v1/api-keys", Map.of("name", "console-idle", "scopes", List.of("query")))
                .get("key")
                .asString();
        base = "http://127.0.0.1:" + FLEET.gateway().port();
        browser = ConsoleBrowser.start(FLEET.runDir());
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aSessionIdleLongerThanTheTimeoutSendsTheUserBackToSignIn() throws Exception {
        browser.driver().get(base + "/ui/");
        browser.awaitElement("#sign-in-form");
        browser.find("#apiKey").sendKeys(queryKey);
        browser.find("#sign-in").click();
        browser.awaitElement("#search-form");
        browser.find("#patientId").sendKeys("IDLE-1");

        Thread.sleep(7_000);
        browser.find("#search").click();

        assertThat(browser.awaitElement("#ended").getText())
                .isEqualTo("Your session ended after a time without use. Sign in again.");
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base + "/ui/sign-in?ended");
        assertThat(FLEET.get("/api/v1/audit-events?entity_type=query")
                        .json()
                        .get("total_items")
                        .asLong())
                .as("searches audited")
                .isZero();
    }
}
