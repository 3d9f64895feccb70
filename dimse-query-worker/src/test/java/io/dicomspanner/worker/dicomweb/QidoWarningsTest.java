package io.dicomspanner.worker.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the worker reads from the Warning headers of a QIDO-RS answer. */
class QidoWarningsTest {

    @Test
    void aCutAnswerIsReadInEitherFormAndAnyWordingOfTheStandardsText() {
        assertThat(QidoWarnings.of(
                        List.of("299 archive.example.org: There are 12 additional results that can be requested")))
                .isEqualTo(new QidoWarnings(true, 0, 0));
        assertThat(QidoWarnings.of(List.of("299 dcm4chee \"There are 3 additional results that can be requested\"")))
                .isEqualTo(new QidoWarnings(true, 0, 0));
        assertThat(QidoWarnings.of(List.of("299 gcp: \"Too many results; the answer was truncated\"")))
                .isEqualTo(new QidoWarnings(true, 0, 0));
    }

    @Test
    void keysOrParametersNotAppliedAreCountedApartFromOtherWarnings() {
        assertThat(QidoWarnings.of(List.of(
                        "299 archive: \"The fuzzymatching parameter is not supported. Only literal matching has been"
                                + " performed.\"",
                        "299 archive: \"Attribute 00101002 was ignored\"",
                        "299 archive: \"Served from a replica\"")))
                .isEqualTo(new QidoWarnings(false, 2, 1));
    }

    @Test
    void noWarningOrOneOfAnotherCodeChangesNothing() {
        assertThat(QidoWarnings.of(List.of())).isEqualTo(QidoWarnings.NONE);
        assertThat(QidoWarnings.of(List.of("110 proxy \"Response is Stale\""))).isEqualTo(QidoWarnings.NONE);
        assertThat(QidoWarnings.of(List.of("nonsense"))).isEqualTo(QidoWarnings.NONE);
    }

    @Test
    void theWarningsOfSeveralPagesAddUp() {
        assertThat(new QidoWarnings(false, 1, 0).and(new QidoWarnings(true, 0, 2)))
                .isEqualTo(new QidoWarnings(true, 1, 2));
    }
}
