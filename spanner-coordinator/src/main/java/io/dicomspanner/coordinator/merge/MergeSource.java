package io.dicomspanner.coordinator.merge;

import java.util.Comparator;
import java.util.Objects;

/**
 * One PACS taking part in a spanning query, as its source mapping describes it.
 *
 * @param id the source's id (numeric ids, as the configuration database issues them, compare as numbers)
 * @param priority the mapping priority; 1 is the highest, larger numbers rank lower
 * @param aeTitle the PACS's AE title, recorded in Retrieve AE Title (0008,0054) of every record it holds
 */
public record MergeSource(String id, int priority, String aeTitle) {

    /** Best first: by priority, then by source id, so equal priorities still give one fixed order. */
    public static final Comparator<MergeSource> RANK_ORDER =
            Comparator.comparingInt(MergeSource::priority).thenComparing(MergeSource::id, MergeSource::compareIds);

    public MergeSource {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(aeTitle, "aeTitle");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a source id is not blank");
        }
        if (aeTitle.isBlank()) {
            throw new IllegalArgumentException("source " + id + " has a blank AE title");
        }
        aeTitle = aeTitle.strip();
    }

    /** Ids of digits compare as numbers (so 9 before 10), anything else as text after them. */
    static int compareIds(String a, String b) {
        boolean aNumeric = isDigits(a);
        boolean bNumeric = isDigits(b);
        if (aNumeric && bNumeric) {
            String x = stripLeadingZeros(a);
            String y = stripLeadingZeros(b);
            int byLength = Integer.compare(x.length(), y.length());
            int byValue = byLength != 0 ? byLength : x.compareTo(y);
            return byValue != 0 ? byValue : a.compareTo(b);
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }
}
