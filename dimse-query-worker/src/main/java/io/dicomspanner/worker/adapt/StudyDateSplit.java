package io.dicomspanner.worker.adapt;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Splits a study search that gave as many results as its archive gives at most into two searches of half its
 * StudyDate range each, so that repeated halving reaches parts under the cap: {@code 20200101-20201231} becomes {@code
 * 20200101-20200701} and {@code 20200702-20201231}. An open end is taken as {@value #EARLIEST} or {@value #LATEST}, a
 * search without StudyDate as the whole range between them.
 *
 * <p>A search without StudyDate also matches studies that have none (PS3.4 C.2.2.2.3); its halves do not, and no
 * QIDO-RS search can ask for exactly those: such studies are found only where the undivided search stays under the
 * cap.
 *
 * <p>Pure: makes identifiers, does no I/O.
 */
public final class StudyDateSplit {

    /** The lowest date an open range stands for. */
    public static final String EARLIEST = "00010101";
    /** The highest date an open range stands for. */
    public static final String LATEST = "99991231";

    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private StudyDateSplit() {}

    /**
     * The two halves of the identifier's StudyDate range, each a copy of the identifier with its own range; none when
     * the range is a single day or StudyDate is not a single date or range (several values, a legacy form).
     */
    public static List<Attributes> halves(Attributes identifier) {
        String[] values = identifier.contains(Tag.STUDY_DATE) ? identifier.getStrings(Tag.STUDY_DATE) : null;
        String value = values == null || values.length == 0 ? "" : values[0].strip();
        if (values != null && values.length > 1) {
            return List.of();
        }
        LocalDate from;
        LocalDate to;
        try {
            if (value.isEmpty()) {
                from = date(EARLIEST);
                to = date(LATEST);
            } else {
                int dash = value.indexOf('-');
                if (dash < 0) {
                    return List.of();
                }
                String low = value.substring(0, dash).strip();
                String high = value.substring(dash + 1).strip();
                from = date(low.isEmpty() ? EARLIEST : low);
                to = date(high.isEmpty() ? LATEST : high);
            }
        } catch (DateTimeParseException e) {
            return List.of();
        }
        long days = ChronoUnit.DAYS.between(from, to);
        if (days < 1) {
            return List.of();
        }
        LocalDate middle = from.plusDays(days / 2);
        return List.of(within(identifier, from, middle), within(identifier, middle.plusDays(1), to));
    }

    private static Attributes within(Attributes identifier, LocalDate from, LocalDate to) {
        String range = from.equals(to) ? DA.format(from) : DA.format(from) + "-" + DA.format(to);
        return Attributes.copyOf(identifier).setString(Tag.STUDY_DATE, VR.DA, range);
    }

    private static LocalDate date(String da) {
        if (da.length() != 8) {
            throw new DateTimeParseException("not a DA value", da, 0);
        }
        return LocalDate.parse(da, DA);
    }
}
