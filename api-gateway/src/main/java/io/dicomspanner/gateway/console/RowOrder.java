package io.dicomspanner.gateway.console;

import java.util.Comparator;
import java.util.List;

/**
 * The order a user asked for a result table: by one column's keyword, ascending or descending, over the whole answer
 * (not just the page shown). Cells of digits only compare as numbers, others as text ignoring case; an empty cell comes
 * first ascending, last descending. Rows with equal cells keep the answer's order.
 *
 * @param keyword the column's attribute keyword; {@code null}: the answer's own order
 */
public record RowOrder(String keyword, boolean descending) {

    static final RowOrder NONE = new RowOrder(null, false);

    /** The order of the request parameters {@code sort} and {@code dir} ({@code asc} or {@code desc}). */
    static RowOrder of(String keyword, String direction) {
        if (keyword == null || keyword.isBlank()) {
            return NONE;
        }
        return new RowOrder(keyword.strip(), "desc".equals(direction));
    }

    /** This order when {@link #keyword} names one of {@code columns}, else none. */
    RowOrder of(List<ConsoleAnswers.Column> columns) {
        return indexIn(columns) < 0 ? NONE : this;
    }

    public boolean sorted() {
        return keyword != null;
    }

    /** {@code asc} or {@code desc}; {@code null} when not sorted. */
    public String direction() {
        return keyword == null ? null : descending ? "desc" : "asc";
    }

    /** The direction a click on the heading of column {@code columnKeyword} asks for. */
    public String nextDirection(String columnKeyword) {
        return columnKeyword.equals(keyword) && !descending ? "desc" : "asc";
    }

    /** {@code aria-sort} of the heading of column {@code columnKeyword}. */
    public String ariaSort(String columnKeyword) {
        return !columnKeyword.equals(keyword) ? "none" : descending ? "descending" : "ascending";
    }

    void sort(List<ConsoleAnswers.Column> columns, List<ConsoleAnswers.Row> rows) {
        int index = indexIn(columns);
        if (index < 0) {
            return;
        }
        Comparator<ConsoleAnswers.Row> byCell =
                Comparator.comparing(row -> row.cells().get(index), RowOrder::compare);
        rows.sort(descending ? byCell.reversed() : byCell);
    }

    private int indexIn(List<ConsoleAnswers.Column> columns) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).keyword().equals(keyword)) {
                return i;
            }
        }
        return -1;
    }

    static int compare(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(!a.isEmpty(), !b.isEmpty());
        }
        if (a.chars().allMatch(Character::isDigit)
                && b.chars().allMatch(Character::isDigit)
                && a.length() < 19
                && b.length() < 19) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        int ignoringCase = String.CASE_INSENSITIVE_ORDER.compare(a, b);
        return ignoringCase != 0 ? ignoringCase : a.compareTo(b);
    }
}
