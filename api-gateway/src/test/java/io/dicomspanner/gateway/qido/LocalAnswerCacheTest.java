package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SharedAnswer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalAnswerCacheTest {

    private static final long MILLI = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * MILLI);

    private static SharedAnswer answerOf(int recordBytes) {
        return new SharedAnswer(
                QueryState.COMPLETE, List.of(new byte[recordBytes]), List.of(), 1, 1, 0, List.of(), 100);
    }

    @Test
    void anAnswerIsKeptUntilItsRedisEntryExpires() {
        LocalAnswerCache cache = new LocalAnswerCache(1_000_000, now::get);
        SharedAnswer answer = answerOf(100);

        cache.put("k", answer, now.get(), 300);

        assertThat(cache.get("k")).isSameAs(answer);
        now.addAndGet(299 * MILLI);
        assertThat(cache.get("k")).isSameAs(answer);
        now.addAndGet(MILLI);
        assertThat(cache.get("k")).isNull();
        assertThat(cache.size()).isZero();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void itsLifeCountsFromWhenRedisWasAskedNotFromWhenTheAnswerArrived() {
        LocalAnswerCache cache = new LocalAnswerCache(1_000_000, now::get);
        long asked = cache.now();
        now.addAndGet(40 * MILLI); // the round trip and the decoding

        cache.put("k", answerOf(100), asked, 100);

        now.addAndGet(59 * MILLI);
        assertThat(cache.get("k")).isNotNull();
        now.addAndGet(MILLI);
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void anEntryWithoutExpiryOrAlreadyGoneIsNotKept() {
        LocalAnswerCache cache = new LocalAnswerCache(1_000_000, now::get);

        cache.put("no expiry", answerOf(10), now.get(), -1);
        cache.put("gone", answerOf(10), now.get(), -2);
        cache.put("expiring now", answerOf(10), now.get(), 0);

        assertThat(cache.get("no expiry")).isNull();
        assertThat(cache.get("gone")).isNull();
        assertThat(cache.get("expiring now")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void theLeastRecentlyUsedAnswersGoWhenTheBytesRunOut() {
        // each entry: 512 overhead + 2 per key char + 16 + 1,000 record bytes = 1,530 bytes
        LocalAnswerCache cache = new LocalAnswerCache(3 * 1_530, now::get);
        cache.put("a", answerOf(1_000), now.get(), 60_000);
        cache.put("b", answerOf(1_000), now.get(), 60_000);
        cache.put("c", answerOf(1_000), now.get(), 60_000);
        assertThat(cache.bytes()).isEqualTo(3 * 1_530);

        assertThat(cache.get("a")).isNotNull(); // a used: b is now the least recently used
        cache.put("d", answerOf(1_000), now.get(), 60_000);

        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isNotNull();
        assertThat(cache.get("c")).isNotNull();
        assertThat(cache.get("d")).isNotNull();
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.bytes()).isEqualTo(3 * 1_530);
    }

    @Test
    void anAnswerLargerThanTheWholeBoundIsNotKeptAndEvictsNothing() {
        LocalAnswerCache cache = new LocalAnswerCache(2_000, now::get);
        cache.put("small", answerOf(100), now.get(), 60_000);

        cache.put("large", answerOf(5_000), now.get(), 60_000);

        assertThat(cache.get("large")).isNull();
        assertThat(cache.get("small")).isNotNull();
    }

    @Test
    void aNewerReadReplacesTheKeptAnswerAndItsSize() {
        LocalAnswerCache cache = new LocalAnswerCache(1_000_000, now::get);
        cache.put("k", answerOf(100), now.get(), 60_000);
        SharedAnswer newer = answerOf(300);

        cache.put("k", newer, now.get(), 60_000);

        assertThat(cache.get("k")).isSameAs(newer);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(512 + 2 + 16 + 300);
    }

    @Test
    void expiredAnswersNeverAskedAgainAreSweptOnALaterPut() {
        LocalAnswerCache cache = new LocalAnswerCache(1_000_000, now::get);
        cache.put("short", answerOf(100), now.get(), 100);
        cache.put("long", answerOf(100), now.get(), 60_000);
        now.addAndGet(1_000 * MILLI); // "short" expired, and a sweep is due

        cache.put("other", answerOf(100), now.get(), 60_000);

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("short")).isNull();
        assertThat(cache.bytes()).isEqualTo((512 + 2 * 4 + 16 + 100) + (512 + 2 * 5 + 16 + 100));
    }

    @Test
    void sizeZeroKeepsNothing() {
        LocalAnswerCache cache = new LocalAnswerCache(0, now::get);

        cache.put("k", answerOf(1), now.get(), 60_000);

        assertThat(cache.get("k")).isNull();
        assertThat(cache.size()).isZero();
    }
}
