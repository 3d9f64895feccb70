package io.dicomspanner.coordinator.merge;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The order of merged results: a fixed function of the data, so the same data gives the same order whichever PACS
 * answered first, and paging with offset and limit is idempotent (PS3.18 §8.3.4.4).
 *
 * <ul>
 *   <li>PATIENT: Patient's Name (ignoring case, then exactly), Patient ID, Issuer of Patient ID.
 *   <li>STUDY: newest first, by Study Date then Study Time, descending; then Study Instance UID ascending.
 *   <li>SERIES: Series Number ascending as a number; then Series Instance UID.
 *   <li>IMAGE: Instance Number ascending as a number; then SOP Instance UID.
 * </ul>
 *
 * Records missing a sort value come after those that have it. Dates and times compare by meaning: legacy
 * {@code YYYY.MM.DD} and {@code HH:MM:SS} forms equal their standard forms, and {@code 1230} equals {@code 123000}.
 * Numbers that are not integers sort after the integers, by their text.
 *
 * <p>Sort values are read once per record, not once per comparison, so sorting 100,000 records costs one pass of
 * attribute reads plus the comparisons of plain strings and longs.
 */
public final class ResultOrder {

    private static final Comparator<String> TEXT_NULLS_LAST = Comparator.nullsLast(Comparator.naturalOrder());
    private static final Comparator<String> TEXT_DESCENDING_NULLS_LAST =
            Comparator.nullsLast(Comparator.<String>reverseOrder());
    private static final Comparator<String> NAME_NULLS_LAST =
            Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder()));
    private static final Comparator<Long> NUMBER_NULLS_LAST = Comparator.nullsLast(Comparator.naturalOrder());

    private static final Comparator<SortKey> PATIENT_ORDER = Comparator.comparing(SortKey::first, NAME_NULLS_LAST)
            .thenComparing(SortKey::second, TEXT_NULLS_LAST)
            .thenComparing(SortKey::third, TEXT_NULLS_LAST);
    private static final Comparator<SortKey> STUDY_ORDER = Comparator.comparing(
                    SortKey::first, TEXT_DESCENDING_NULLS_LAST)
            .thenComparing(SortKey::second, TEXT_DESCENDING_NULLS_LAST)
            .thenComparing(SortKey::third, TEXT_NULLS_LAST);
    private static final Comparator<SortKey> NUMBERED_ORDER = Comparator.comparing(SortKey::number, NUMBER_NULLS_LAST)
            .thenComparing(SortKey::first, TEXT_NULLS_LAST)
            .thenComparing(SortKey::third, TEXT_NULLS_LAST);

    private ResultOrder() {}

    /** {@code records} sorted for {@code level}, as a new list; records equal in every sort value keep their order. */
    public static List<Attributes> sort(QueryLevel level, List<Attributes> records) {
        return sort(level, records, record -> record::getString);
    }

    /**
     * {@code items} sorted for {@code level} by the values {@code valuesOf} gives for an item (a tag's first value
     * without padding, or {@code null}, as {@link Attributes#getString} answers), as a new list. Items equal in every
     * sort value keep their order (the sort is stable), so a caller breaks remaining ties by the order it passes.
     */
    public static <T> List<T> sort(QueryLevel level, List<T> items, Function<T, IntFunction<String>> valuesOf) {
        List<Keyed<T>> keyed = new ArrayList<>(items.size());
        for (T item : items) {
            keyed.add(new Keyed<>(keyOf(level, valuesOf.apply(item)), item));
        }
        Comparator<SortKey> order = orderOf(level);
        keyed.sort((a, b) -> order.compare(a.key(), b.key()));
        List<T> sorted = new ArrayList<>(keyed.size());
        for (Keyed<T> k : keyed) {
            sorted.add(k.item());
        }
        return sorted;
    }

    private static Comparator<SortKey> orderOf(QueryLevel level) {
        return switch (level) {
            case PATIENT -> PATIENT_ORDER;
            case STUDY -> STUDY_ORDER;
            case SERIES, IMAGE -> NUMBERED_ORDER;
        };
    }

    private static SortKey keyOf(QueryLevel level, IntFunction<String> value) {
        return switch (level) {
            case PATIENT ->
                new SortKey(
                        value.apply(Tag.PATIENT_NAME),
                        value.apply(Tag.PATIENT_ID),
                        value.apply(Tag.ISSUER_OF_PATIENT_ID),
                        null);
            case STUDY ->
                new SortKey(
                        date(value.apply(Tag.STUDY_DATE)),
                        time(value.apply(Tag.STUDY_TIME)),
                        value.apply(Tag.STUDY_INSTANCE_UID),
                        null);
            case SERIES -> numbered(value.apply(Tag.SERIES_NUMBER), value.apply(Tag.SERIES_INSTANCE_UID));
            case IMAGE -> numbered(value.apply(Tag.INSTANCE_NUMBER), value.apply(Tag.SOP_INSTANCE_UID));
        };
    }

    /** An integer number sorts by {@code number}; any other text by {@code first}, after all integers. */
    private static SortKey numbered(String number, String uid) {
        if (number == null) {
            return new SortKey(null, null, uid, null);
        }
        Long n = integer(number.strip());
        return n != null ? new SortKey(null, null, uid, n) : new SortKey(number.strip(), null, uid, null);
    }

    private static Long integer(String s) {
        int start = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
        if (s.length() == start || s.length() - start > 18) {
            return null;
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
    }

    /** {@code YYYYMMDD}, also from the legacy {@code YYYY.MM.DD}. */
    static String date(String da) {
        return da == null ? null : da.strip().replace(".", "");
    }

    /**
     * {@code HHMMSS.FFFFFF} with every omitted component as zero, so that times compare as strings by meaning; also
     * from the legacy {@code HH:MM:SS}.
     */
    static String time(String tm) {
        if (tm == null) {
            return null;
        }
        String s = tm.strip().replace(":", "");
        int dot = s.indexOf('.');
        String whole = dot >= 0 ? s.substring(0, dot) : s;
        String fraction = dot >= 0 ? s.substring(dot + 1) : "";
        if (whole.length() > 6 || fraction.length() > 6) {
            return s;
        }
        return whole + "000000".substring(whole.length()) + "." + fraction + "000000".substring(fraction.length());
    }

    private record SortKey(String first, String second, String third, Long number) {}

    private record Keyed<T>(SortKey key, T item) {}
}
