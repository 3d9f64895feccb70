package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A console session ends when it is left unused longer than {@code spanner.console.session-idle-timeout} (5 s here),
 * and when its API key is revoked (looked up again after {@code spanner.api-keys.verification-cache-ttl}, 1 s here):
 * the next search, POSTed by htmx, sends the browser back to the sign-in page, which says why; nothing is searched.
 * Only the gateway runs: no query gets as far as a coordinator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleSessionEndTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("consoleidle")
            .withServiceEnvironment(
                    Map.of("SPANNER_CONSOLE_SESSIONIDLETIMEOUT", "5s", "SPANNER_APIKEYS_VERIFICATIONCACHETTL", "1s"));

    private ConsoleBrowser browser;
    private String base;
    private String queryKey;
    private String adminKey;

    @BeforeAll
    void start() throws Exception {
        ConsoleBrowser.assumeInstalled();
        FLEET.createConfig("Idle", Fleet.comparedConfig(Map.of()));
        queryKey = FLEET.post("/api/v1/api-keys", Map.of("name", "console-idle", "scopes", List.of("query")))
                .get("key")
                .asString();
        adminKey = FLEET.post("/api/v1/api-keys", Map.of("name", "console-idle-admin", "scopes", List.of("admin")))
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

    private void signIn(String key) {
        browser.signIn(base, key);
    }

    @Test
    void aSessionIdleLongerThanTheTimeoutSendsTheUserBackToSignIn() throws Exception {
        signIn(queryKey);
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

    @Test
    void aSessionWhoseKeyIsRevokedEndsAtItsNextRequest() throws Exception {
        JsonNode created =
                FLEET.post("/api/v1/api-keys", Map.of("name", "console-revoked", "scopes", List.of("query")));
        signIn(created.get("key").asString());
        browser.find("#patientId").sendKeys("REVOKED-1");

        HttpResponse<String> revoked = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/api-keys/"
                                        + created.get("id").asLong()))
                                .header("Authorization", "Api-Key " + adminKey)
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        Thread.sleep(1_500);
        browser.find("#search").click();

        assertThat(browser.awaitElement("#revoked").getText())
                .isEqualTo("The API key of your session has been revoked. Sign in with another key.");
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base + "/ui/sign-in?revoked");
        assertThat(FLEET.get("/api/v1/audit-events?entity_type=query")
                        .json()
                        .get("total_items")
                        .asLong())
                .as("searches audited")
                .isZero();
    }
}
