package io.dicomspanner.common.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ResultPageTest {

    private static final List<String> TEN = List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
    private static final int MAX_RESULTS = 1000;

    @Test
    void aPageInTheMiddleCountsWhatRemainsAfterIt() {
        ResultPage<String> page = ResultPage.of(TEN, 2, OptionalInt.of(3), MAX_RESULTS);

        assertThat(page.items()).containsExactly("r2", "r3", "r4");
        assertThat(page.matches()).isEqualTo(10);
        assertThat(page.offset()).isEqualTo(2);
        assertThat(page.remaining()).isEqualTo(5);
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void theLastPageHasNothingRemaining() {
        ResultPage<String> page = ResultPage.of(TEN, 7, OptionalInt.of(5), MAX_RESULTS);

        assertThat(page.items()).containsExactly("r7", "r8", "r9");
        assertThat(page.remaining()).isZero();
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void anOffsetBeyondTheEndGivesAnEmptyPageWithNothingRemaining() {
        ResultPage<String> page = ResultPage.of(TEN, 25, OptionalInt.of(5), MAX_RESULTS);

        assertThat(page.items()).isEmpty();
        assertThat(page.matches()).isEqualTo(10);
        assertThat(page.remaining()).isZero();
    }

    @Test
    void anOffsetAtTheEndIsEmptyToo() {
        assertThat(ResultPage.of(TEN, 10, OptionalInt.empty(), MAX_RESULTS).items())
                .isEmpty();
    }

    @Test
    void limitZeroReturnsNothingAndCountsEverythingAfterTheOffsetAsRemaining() {
        ResultPage<String> page = ResultPage.of(TEN, 4, OptionalInt.of(0), MAX_RESULTS);

        assertThat(page.items()).isEmpty();
        assertThat(page.remaining()).isEqualTo(6);
    }

    @Test
    void withoutALimitTheServiceMaximumCaps() {
        ResultPage<String> page = ResultPage.of(TEN, 1, OptionalInt.empty(), 4);

        assertThat(page.items()).containsExactly("r1", "r2", "r3", "r4");
        assertThat(page.remaining()).isEqualTo(5);
    }

    @Test
    void aLimitAboveTheServiceMaximumIsCappedToo() {
        ResultPage<String> page = ResultPage.of(TEN, 0, OptionalInt.of(50), 4);

        assertThat(page.items()).containsExactly("r0", "r1", "r2", "r3");
        assertThat(page.remaining()).isEqualTo(6);
    }

    @Test
    void noMatchesGiveAnEmptyPage() {
        ResultPage<String> page = ResultPage.of(List.of(), 0, OptionalInt.of(10), MAX_RESULTS);

        assertThat(page.items()).isEmpty();
        assertThat(page.matches()).isZero();
        assertThat(page.remaining()).isZero();
    }

    @Test
    void negativeValuesAreRefused() {
        assertThatThrownBy(() -> ResultPage.of(TEN, -1, OptionalInt.empty(), MAX_RESULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("offset is negative: -1");
        assertThatThrownBy(() -> ResultPage.of(TEN, 0, OptionalInt.of(-2), MAX_RESULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit is negative: -2");
        assertThatThrownBy(() -> ResultPage.of(TEN, 0, OptionalInt.empty(), -3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxResults is negative: -3");
    }
}
