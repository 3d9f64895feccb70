package io.dicomspanner.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.GatewayTest;
import io.dicomspanner.gateway.audit.Actor;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * Verified keys are trusted for {@code verification-cache-ttl} without the database, and {@code last_used_at} is
 * written once per {@code last-used-update-interval}; the gateway's one clock is a {@link MutableClock} here.
 */
@TestPropertySource(
        properties = {"spanner.api-keys.verification-cache-ttl=5s", "spanner.api-keys.last-used-update-interval=60s"})
class ApiKeyVerificationCacheTest extends GatewayTest {

    private static final MutableClock CLOCK = MutableClock.startingNow();

    @TestBean
    Clock clock;

    static Clock clock() {
        return CLOCK;
    }

    @Autowired
    ApiKeyRepository keys;

    @Autowired
    KeyUseRecorder uses;

    @Test
    void keyRevokedInTheDatabaseWorksUntilItsCacheEntryExpires() {
        String key = createKey("ci");
        assertThat(sourcesWith(key)).isEqualTo(200);

        revokeInDatabase("ci");

        assertThat(sourcesWith(key)).isEqualTo(200);
        CLOCK.advance(Duration.ofMillis(4_999));
        assertThat(sourcesWith(key)).isEqualTo(200);
        CLOCK.advance(Duration.ofMillis(1));
        assertThat(sourcesWith(key)).isEqualTo(401);
    }

    @Test
    void cachedKeyKeepsWorkingAndIsVerifiedAgainAfterTheTtl() {
        String key = createKey("ci");

        assertThat(sourcesWith(key)).isEqualTo(200);
        assertThat(sourcesWith(key)).isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(5));
        assertThat(sourcesWith(key)).isEqualTo(200);
    }

    @Test
    void keyRevokedThroughTheApiIsRefusedAtOnce() {
        String key = createKey("ci");
        assertThat(sourcesWith(key)).isEqualTo(200);

        assertThat(delete("/api/v1/api-keys/2").status()).isEqualTo(200);

        assertThat(sourcesWith(key)).isEqualTo(401);
    }

    @Test
    void unknownKeyIsNotRememberedAsUnknown() {
        String key = ApiKeySecrets.newKey();
        assertThat(sourcesWith(key)).isEqualTo(401);

        keys.save(new ApiKey("late", ApiKeySecrets.hash(key), EnumSet.of(ApiKeyScope.ADMIN), CLOCK.instant(), "test"));

        assertThat(sourcesWith(key)).isEqualTo(200);
    }

    @Test
    void revokedKeyIsNotCachedAsValid() {
        String key = createKey("ci");
        revokeInDatabase("ci");
        assertThat(sourcesWith(key)).isEqualTo(401);

        jdbc.sql("update api_key set revoked_at = null, revoked_by = null where name = 'ci'")
                .update();

        assertThat(sourcesWith(key)).isEqualTo(200);
    }

    @Test
    void lastUsedAtIsWrittenOncePerInterval() {
        String key = createKey("ci");
        Instant first = CLOCK.instant();
        assertThat(lastUsedAt("ci")).isEmpty();

        assertThat(sourcesWith(key)).isEqualTo(200);
        uses.writePending();
        assertThat(lastUsedAt("ci")).contains(first);

        CLOCK.advance(Duration.ofSeconds(30));
        assertThat(sourcesWith(key)).isEqualTo(200);
        CLOCK.advance(Duration.ofMillis(29_999));
        assertThat(sourcesWith(key)).isEqualTo(200);
        uses.writePending();
        assertThat(lastUsedAt("ci")).contains(first);

        CLOCK.advance(Duration.ofMillis(1));
        assertThat(sourcesWith(key)).isEqualTo(200);
        uses.writePending();
        assertThat(lastUsedAt("ci")).contains(first.plusSeconds(60));
    }

    @Test
    void useByAnotherGatewayWithinTheIntervalIsNotOverwritten() {
        String key = createKey("ci");
        Instant elsewhere = CLOCK.instant().minusSeconds(10);
        jdbc.sql("update api_key set last_used_at = ? where name = 'ci'")
                .param(Timestamp.from(elsewhere))
                .update();

        assertThat(sourcesWith(key)).isEqualTo(200);
        uses.writePending();

        assertThat(lastUsedAt("ci")).contains(elsewhere);
    }

    private String createKey(String name) {
        return apiKeys.create(new ApiKeyRequest(name, List.of("admin")), Actor.system("test"))
                .key();
    }

    private int sourcesWith(String key) {
        return send("GET", "/api/v1/sources", key, null).status();
    }

    private void revokeInDatabase(String name) {
        jdbc.sql("update api_key set revoked_at = now(), revoked_by = 'sql' where name = ?")
                .param(name)
                .update();
    }

    private Optional<Instant> lastUsedAt(String name) {
        return jdbc.sql("select last_used_at from api_key where name = ?")
                .param(name)
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant);
    }
}
