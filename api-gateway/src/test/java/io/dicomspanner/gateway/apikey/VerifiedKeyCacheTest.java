package io.dicomspanner.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class VerifiedKeyCacheTest {

    private static final AuthenticatedKey CI = new AuthenticatedKey(2, "ci", EnumSet.of(ApiKeyScope.QUERY));
    private static final AuthenticatedKey OPS = new AuthenticatedKey(3, "ops", EnumSet.of(ApiKeyScope.ADMIN));
    private static final AuthenticatedKey BOT = new AuthenticatedKey(4, "bot", EnumSet.of(ApiKeyScope.QUERY));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));

    @Test
    void keyIsHeldUntilTheTtlEnds() {
        VerifiedKeyCache cache = new VerifiedKeyCache(Duration.ofSeconds(5), 10, clock);
        cache.put("aa", CI, cache.generation());

        clock.advance(Duration.ofMillis(4_999));
        assertThat(cache.get("aa")).contains(CI);

        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get("aa")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void anExpiredKeyVouchesForItselfOnlyWhileTheDatabaseIsAwayAndOnlyWithinTheGrace() {
        VerifiedKeyCache cache = new VerifiedKeyCache(Duration.ofSeconds(5), Duration.ofMinutes(15), 10, clock);
        cache.put("aa", CI, cache.generation());

        assertThat(cache.stale("aa")).contains(CI);
        clock.advance(Duration.ofSeconds(5));
        assertThat(cache.get("aa")).as("expired: the database is asked again").isEmpty();
        assertThat(cache.stale("aa")).as("but kept for when it cannot be").contains(CI);
        assertThat(cache.size()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(15).minusMillis(1));
        assertThat(cache.stale("aa")).contains(CI);
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.stale("aa")).isEmpty();
        assertThat(cache.get("aa")).isEmpty();
        assertThat(cache.size()).isZero();
        assertThat(cache.stale("never-verified")).isEmpty();
    }

    @Test
    void aRevokedKeyDoesNotVouchForItselfEvenWithinTheGrace() {
        VerifiedKeyCache cache = new VerifiedKeyCache(Duration.ofSeconds(5), Duration.ofMinutes(15), 10, clock);
        cache.put("aa", CI, cache.generation());
        clock.advance(Duration.ofSeconds(6));

        cache.evict(CI.id());

        assertThat(cache.stale("aa")).isEmpty();
    }

    @Test
    void zeroTtlCachesNothing() {
        VerifiedKeyCache cache = new VerifiedKeyCache(Duration.ZERO, 10, clock);
        cache.put("aa", CI, cache.generation());

        assertThat(cache.get("aa")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void evictForgetsOnlyThatKey() {
        VerifiedKeyCache cache = new VerifiedKeyCache(Duration.ofSeconds(5), 10, clock);
        cache.put("aa", CI, cache.generation());
        cache.put("bb", OPS, cache.generation());

        cache.evict(CI.id());

        assertThat(cache.get("aa")).isEmpty();
        assertThat(cache.get("bb")).contains(OPS);
    }

    @Test
    void lookupThatBeganBeforeAnEvictionIsNotCached() {
        VerifiedKeyCache cache = new VerifiedKeyCache(Duration.ofSeconds(5), 10, clock);
        long generation = cache.generation();

        cache.evict(CI.id()); // the revocation commits while the database read is under way
        cache.put("aa", CI, generation);

        assertThat(cache.get("aa")).isEmpty();
        cache.put("aa", CI, cache.generation());
        assertThat(cache.get("aa")).contains(CI);
    }

    @Test
    void fullCacheDropsExpiredEntriesButNeverLiveOnes() {
        VerifiedKeyCache cache = new VerifiedKeyCache(Duration.ofSeconds(5), 2, clock);
        cache.put("aa", CI, cache.generation());
        clock.advance(Duration.ofSeconds(3));
        cache.put("bb", OPS, cache.generation());

        cache.put("cc", BOT, cache.generation());
        assertThat(cache.get("cc")).isEmpty();
        assertThat(cache.size()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(2)); // "aa" has expired, "bb" has not
        cache.put("cc", BOT, cache.generation());
        assertThat(cache.get("cc")).contains(BOT);
        assertThat(cache.get("bb")).contains(OPS);
        assertThat(cache.size()).isEqualTo(2);
    }
}
