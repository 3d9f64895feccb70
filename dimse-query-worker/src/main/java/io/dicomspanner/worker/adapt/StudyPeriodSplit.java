package io.dicomspanner.worker.adapt;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Splits a study search that gave as many results as its archive gives at most into two searches of half its period
 * each, so that repeated halving reaches parts under the cap. A StudyDate range over several days is halved ({@code
 * 20200101-20201231} becomes {@code 20200101-20200701} and {@code 20200702-20201231}); an open end stands for {@value
 * #EARLIEST} or {@value #LATEST}, a search without StudyDate for the whole range between them. A single day is halved by
 * its StudyTime range ({@code 000000-235959} when it has none) down to single seconds, each part's upper bound taken to
 * the end of its second ({@code .999999}) so that times with fractions fall in exactly one part.
 *
 * <p>A search without StudyDate (or StudyTime) also matches studies that have none (PS3.4 C.2.2.2.3); its halves do
 * not, and no QIDO-RS search asks for exactly those: such studies are found only where the undivided search stays under
 * the cap.
 *
 * <p>Pure: makes identifiers, does no I/O.
 */
public final class StudyPeriodSplit {

    /** The lowest date an open range stands for. */
    public static final String EARLIEST = "00010101";
    /** The highest date an open range stands for. */
    public static final String LATEST = "99991231";

    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final int LAST_SECOND = 24 * 3600 - 1;

    private StudyPeriodSplit() {}

    /**
     * The two halves of the identifier's study period, each a copy of the identifier with its own StudyDate (or, on a
     * single day, StudyTime) range; none when the period is a single second, or StudyDate or StudyTime is not a single
     * value or range in the standard form (several values, a legacy form).
     */
    public static List<Attributes> halves(Attributes identifier) {
        String date = single(identifier, Tag.STUDY_DATE);
        if (date == null) {
            return List.of();
        }
        LocalDate from;
        LocalDate to;
        try {
            if (date.isEmpty()) {
                from = date(EARLIEST);
                to = date(LATEST);
            } else {
                int dash = date.indexOf('-');
                String low = dash < 0 ? date : date.substring(0, dash).strip();
                String high = dash < 0 ? date : date.substring(dash + 1).strip();
                from = date(low.isEmpty() ? EARLIEST : low);
                to = date(high.isEmpty() ? LATEST : high);
            }
        } catch (DateTimeParseException e) {
            return List.of();
        }
        long days = ChronoUnit.DAYS.between(from, to);
        if (days >= 1) {
            LocalDate middle = from.plusDays(days / 2);
            return List.of(withDates(identifier, from, middle), withDates(identifier, middle.plusDays(1), to));
        }
        return days == 0 ? timeHalves(identifier) : List.of();
    }

    /** The halves of a single day's StudyTime range. */
    private static List<Attributes> timeHalves(Attributes identifier) {
        String time = single(identifier, Tag.STUDY_TIME);
        if (time == null) {
            return List.of();
        }
        int from;
        int to;
        if (time.isEmpty()) {
            from = 0;
            to = LAST_SECOND;
        } else {
            int dash = time.indexOf('-');
            if (dash < 0) {
                return List.of();
            }
            String low = time.substring(0, dash).strip();
            String high = time.substring(dash + 1).strip();
            from = low.isEmpty() ? 0 : second(low);
            to = high.isEmpty() ? LAST_SECOND : second(high);
            if (from < 0 || to < 0) {
                return List.of();
            }
        }
        if (to - from < 1) {
            return List.of();
        }
        int middle = from + (to - from) / 2;
        return List.of(withTimes(identifier, from, middle), withTimes(identifier, middle + 1, to));
    }

    /** The single value of a key: empty when absent or empty, null when it has several. */
    private static String single(Attributes identifier, int tag) {
        String[] values = identifier.contains(tag) ? identifier.getStrings(tag) : null;
        if (values != null && values.length > 1) {
            return null;
        }
        return values == null || values.length == 0 || values[0] == null ? "" : values[0].strip();
    }

    private static Attributes withDates(Attributes identifier, LocalDate from, LocalDate to) {
        String range = from.equals(to) ? DA.format(from) : DA.format(from) + "-" + DA.format(to);
        return Attributes.copyOf(identifier).setString(Tag.STUDY_DATE, VR.DA, range);
    }

    private static Attributes withTimes(Attributes identifier, int from, int to) {
        return Attributes.copyOf(identifier).setString(Tag.STUDY_TIME, VR.TM, tm(from) + "-" + tm(to) + ".999999");
    }

    private static LocalDate date(String da) {
        if (da.length() != 8) {
            throw new DateTimeParseException("not a DA value", da, 0);
        }
        return LocalDate.parse(da, DA);
    }

    /** The second of the day a TM value ({@code HH}, {@code HHMM}, {@code HHMMSS}, fraction ignored) names; -1 if none. */
    private static int second(String tm) {
        String whole = tm.indexOf('.') < 0 ? tm : tm.substring(0, tm.indexOf('.'));
        if (!whole.matches("\\d{2}|\\d{4}|\\d{6}")) {
            return -1;
        }
        int h = Integer.parseInt(whole.substring(0, 2));
        int m = whole.length() >= 4 ? Integer.parseInt(whole.substring(2, 4)) : 0;
        int s = whole.length() == 6 ? Integer.parseInt(whole.substring(4, 6)) : 0;
        return h < 24 && m < 60 && s < 60 ? h * 3600 + m * 60 + s : -1;
    }

    private static String tm(int second) {
        return String.format(Locale.ROOT, "%02d%02d%02d", second / 3600, second / 60 % 60, second % 60);
    }
}
