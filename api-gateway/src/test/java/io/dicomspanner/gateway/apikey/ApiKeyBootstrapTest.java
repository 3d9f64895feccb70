package io.dicomspanner.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.gateway.GatewayTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** The bootstrap runner as it runs on start, given the settings SPANNER_BOOTSTRAP_API_KEY(_FILE) would bind. */
class ApiKeyBootstrapTest extends GatewayTest {

    private static final String BOOTSTRAP_KEY = "operator-chosen-bootstrap-key-0123456789";

    @Autowired
    VerifiedKeyCache verified;

    /** Every test registers the same key anew in an emptied table, behind the cache's back: start it empty too. */
    @BeforeEach
    void forgetVerifiedKeys() {
        verified.evictAll();
    }

    @Test
    void keyIsRegisteredWithAdminScopeWhenNoAdminKeyExists() {
        removeAllKeys();

        Optional<ApiKeyService.BootstrapOutcome> outcome =
                bootstrapWith(BOOTSTRAP_KEY, "").bootstrap();

        assertThat(outcome).contains(ApiKeyService.BootstrapOutcome.REGISTERED);
        Reply sources = send("GET", "/api/v1/sources", BOOTSTRAP_KEY, null);
        assertThat(sources.status()).isEqualTo(200);
        Reply keys = send("GET", "/api/v1/api-keys", BOOTSTRAP_KEY, null);
        assertThat(keys.body().get("total_items").asLong()).isEqualTo(1);
        assertThat(keys.body().get("items").get(0).get("name").asString()).isEqualTo("bootstrap");
        assertThat(keys.body().get("items").get(0).get("scopes").toString()).isEqualTo("[\"admin\"]");
        assertThat(keys.body().get("items").get(0).get("created_by").asString()).isEqualTo("system:bootstrap");
    }

    @Test
    void keyFromFileIsRegisteredWithoutItsTrailingNewline(@TempDir Path dir) throws IOException {
        removeAllKeys();
        Path file = Files.writeString(dir.resolve("bootstrap-key"), BOOTSTRAP_KEY + "\n");

        assertThat(bootstrapWith("", file.toString()).bootstrap()).contains(ApiKeyService.BootstrapOutcome.REGISTERED);
        assertThat(send("GET", "/api/v1/sources", BOOTSTRAP_KEY, null).status()).isEqualTo(200);
    }

    @Test
    void keyIsNotRegisteredWhenAnAdminKeyExists() {
        assertThat(bootstrapWith(BOOTSTRAP_KEY, "").bootstrap())
                .contains(ApiKeyService.BootstrapOutcome.ADMIN_KEY_EXISTS);
        assertThat(send("GET", "/api/v1/sources", BOOTSTRAP_KEY, null).status()).isEqualTo(401);
    }

    @Test
    void secondStartFindsTheKeyRegisteredAlready() {
        removeAllKeys();
        bootstrapWith(BOOTSTRAP_KEY, "").bootstrap();

        assertThat(bootstrapWith(BOOTSTRAP_KEY, "").bootstrap())
                .contains(ApiKeyService.BootstrapOutcome.ALREADY_REGISTERED);
        assertThat(jdbc.sql("select count(*) from api_key").query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void revokedBootstrapKeyStaysRevoked() {
        removeAllKeys();
        bootstrapWith(BOOTSTRAP_KEY, "").bootstrap();
        String other = apiKeys.create(
                        new ApiKeyRequest("second-admin", java.util.List.of("admin")),
                        io.dicomspanner.gateway.audit.Actor.system("test"))
                .key();
        long bootstrapId = idOfKey("bootstrap");
        assertThat(send("DELETE", "/api/v1/api-keys/" + bootstrapId, other, null)
                        .status())
                .isEqualTo(200);

        assertThat(bootstrapWith(BOOTSTRAP_KEY, "").bootstrap())
                .contains(ApiKeyService.BootstrapOutcome.REVOKED_EARLIER);
        assertThat(send("GET", "/api/v1/sources", BOOTSTRAP_KEY, null).status()).isEqualTo(401);
    }

    @Test
    void noKeyConfiguredDoesNothing() {
        assertThat(bootstrapWith("", "").bootstrap()).isEmpty();
    }

    @Test
    void bothSettingsAtOnceAreRefused() {
        assertThatThrownBy(
                        () -> bootstrapWith(BOOTSTRAP_KEY, "/run/secrets/key").bootstrap())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Set either spanner.api-keys.bootstrap-key (SPANNER_BOOTSTRAP_API_KEY) or"
                        + " spanner.api-keys.bootstrap-key-file (SPANNER_BOOTSTRAP_API_KEY_FILE), not both");
    }

    @Test
    void shortKeyIsRefused() {
        removeAllKeys();

        assertThatThrownBy(() -> bootstrapWith("too-short", "").bootstrap())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The bootstrap API key must have 32 to 512 characters");
        assertThat(jdbc.sql("select count(*) from api_key").query(Long.class).single())
                .isZero();
    }

    private ApiKeyBootstrap bootstrapWith(String key, String file) {
        return new ApiKeyBootstrap(
                apiKeys,
                new ApiKeyProperties(
                        key,
                        file,
                        32,
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(15),
                        10_000,
                        false,
                        0,
                        0));
    }

    private long idOfKey(String name) {
        return jdbc.sql("select id from api_key where name = ?")
                .param(name)
                .query(Long.class)
                .single();
    }

    private void removeAllKeys() {
        jdbc.sql("delete from api_key").update();
    }
}
