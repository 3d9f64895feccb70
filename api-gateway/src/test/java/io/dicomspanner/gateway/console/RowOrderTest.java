package io.dicomspanner.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowOrderTest {

    private static final List<ConsoleAnswers.Column> COLUMNS = ConsoleAnswers.STUDY_COLUMNS;

    private static ConsoleAnswers.Row row(String uid, String name, String series) {
        return new ConsoleAnswers.Row(
                uid, null, null, List.of(name, "", "", "", "", "", "", series, ""), List.of(), null);
    }

    private static List<String> uids(List<ConsoleAnswers.Row> rows) {
        return rows.stream().map(ConsoleAnswers.Row::studyUid).toList();
    }

    private final List<ConsoleAnswers.Row> rows = new ArrayList<>(List.of(
            row("1", "doe^john", "10"), row("2", "", "9"), row("3", "Adams^Ann", "100"), row("4", "DOE^JOHN", "")));

    @Test
    void textSortsIgnoringCaseWithEmptyCellsFirstAscendingAndTiesInAnswerOrder() {
        RowOrder.of("PatientName", "asc").sort(COLUMNS, rows);

        assertThat(uids(rows)).containsExactly("2", "3", "4", "1");
    }

    @Test
    void digitsSortAsNumbersAndDescendingPutsEmptyCellsLast() {
        RowOrder.of("NumberOfStudyRelatedSeries", "desc").sort(COLUMNS, rows);

        assertThat(uids(rows)).containsExactly("3", "1", "2", "4");
    }

    @Test
    void aKeywordThatIsNoColumnOfTheTableLeavesTheAnswersOrder() {
        RowOrder order = RowOrder.of("SeriesDescription", "asc").of(COLUMNS);
        order.sort(COLUMNS, rows);

        assertThat(order).isEqualTo(RowOrder.NONE);
        assertThat(uids(rows)).containsExactly("1", "2", "3", "4");
    }

    @Test
    void aHeadingClickedAgainTurnsTheOrderAround() {
        RowOrder ascending = RowOrder.of("StudyDate", "asc");

        assertThat(ascending.nextDirection("StudyDate")).isEqualTo("desc");
        assertThat(ascending.nextDirection("PatientName")).isEqualTo("asc");
        assertThat(RowOrder.of("StudyDate", "desc").nextDirection("StudyDate")).isEqualTo("asc");
        assertThat(ascending.ariaSort("StudyDate")).isEqualTo("ascending");
        assertThat(ascending.ariaSort("PatientName")).isEqualTo("none");
    }
}
