package io.dicomspanner.dicom.match;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Parsing of DA, TM and DT values and ranges into numbers that compare by meaning (PS3.5 Table 6.2-1, PS3.4
 * C.2.2.2.5).
 *
 * <p>Each value becomes a {@link Span}: the first and last instant its precision covers. A DA is a day number; a TM
 * is microseconds of the day, so "2230" covers 22:30:00.000000 to 22:30:59.999999; a DT is microseconds since
 * 1970-01-01 in its own local time, plus its UTC offset if it has one. Failures return {@code null} (or
 * {@link #INVALID}) and, when the caller passes a {@code why} buffer, say what is wrong without repeating the value.
 */
final class DicomTemporal {
    static final long INVALID = Long.MIN_VALUE;
    static final int NO_OFFSET = Integer.MIN_VALUE;

    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
    static final long MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
    static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

    private static final int MAX_OFFSET_MINUTES = 14 * 60;
    private static final int MIN_OFFSET_MINUTES = -12 * 60;

    private DicomTemporal() {}

    /** The instants one value covers, inclusive; {@code offsetMinutes} is {@link #NO_OFFSET} when unknown. */
    record Span(long first, long last, int offsetMinutes) {
        Span withDefaultOffset(int offset) {
            return offsetMinutes == NO_OFFSET ? new Span(first, last, offset) : this;
        }
    }

    /** A key value: one value ({@code single}), or a range whose missing bound ({@code null}) is open. */
    record Range(Span lower, Span upper, boolean single) {}

    // ---- DA ----

    /** A DA value as a day number; with {@code legacy}, also the ACR-NEMA form YYYY.MM.DD (PS3.5 Table 6.2-1). */
    static long parseDate(String s, boolean legacy, StringBuilder why) {
        String d = s;
        if (legacy && s.length() == 10 && s.charAt(4) == '.' && s.charAt(7) == '.') {
            d = s.substring(0, 4) + s.substring(5, 7) + s.substring(8);
        }
        if (d.length() != 8) {
            return fail(why, "a date is 8 digits, YYYYMMDD");
        }
        int year = digits(d, 0, 4);
        int month = digits(d, 4, 6);
        int day = digits(d, 6, 8);
        if (year < 0 || month < 0 || day < 0) {
            return fail(why, "a date is 8 digits, YYYYMMDD");
        }
        return epochDay(year, month, day, why);
    }

    static Range parseDateRange(String s, StringBuilder why) {
        int dash = s.indexOf('-');
        if (dash < 0) {
            long day = parseDate(s, false, why);
            if (day == INVALID) {
                return null;
            }
            Span span = new Span(day, day, NO_OFFSET);
            return new Range(span, span, true);
        }
        if (s.indexOf('-', dash + 1) >= 0) {
            return failRange(why, "a date range has one '-' (YYYYMMDD-YYYYMMDD, -YYYYMMDD or YYYYMMDD-)");
        }
        String left = s.substring(0, dash).trim();
        String right = s.substring(dash + 1).trim();
        if (left.isEmpty() && right.isEmpty()) {
            return failRange(why, "a range needs at least one bound");
        }
        Span lower = null;
        Span upper = null;
        if (!left.isEmpty()) {
            long day = parseDate(left, false, why);
            if (day == INVALID) {
                return null;
            }
            lower = new Span(day, day, NO_OFFSET);
        }
        if (!right.isEmpty()) {
            long day = parseDate(right, false, why);
            if (day == INVALID) {
                return null;
            }
            upper = new Span(day, day, NO_OFFSET);
        }
        if (lower != null && upper != null && lower.first() > upper.last()) {
            return failRange(why, "the range starts after it ends (PS3.4 C.2.2.2.5.1)");
        }
        return new Range(lower, upper, false);
    }

    // ---- TM ----

    /**
     * A TM value: HH, HHMM, HHMMSS or HHMMSS.F to HHMMSS.FFFFFF; with {@code legacy}, also the ACR-NEMA forms HH:MM
     * and HH:MM:SS[.F...].
     */
    static Span parseTime(String s, boolean legacy, StringBuilder why) {
        String t = s;
        if (legacy && s.indexOf(':') >= 0) {
            t = withoutLegacyColons(s);
            if (t == null) {
                return failSpan(why, "a time is HHMMSS.FFFFFF");
            }
        }
        int dot = t.indexOf('.');
        int n = dot < 0 ? t.length() : dot;
        if (n != 2 && n != 4 && n != 6) {
            return failSpan(why, "a time is HH, HHMM, HHMMSS or HHMMSS.FFFFFF");
        }
        if (dot >= 0 && n != 6) {
            return failSpan(why, "fractional seconds follow a full HHMMSS");
        }
        int hour = digits(t, 0, 2);
        int minute = n >= 4 ? digits(t, 2, 4) : 0;
        int second = n >= 6 ? digits(t, 4, 6) : 0;
        if (hour < 0 || minute < 0 || second < 0) {
            return failSpan(why, "a time is digits, HHMMSS.FFFFFF");
        }
        if (!checkClock(hour, minute, second, why)) {
            return null;
        }
        long first = hour * MICROS_PER_HOUR + minute * MICROS_PER_MINUTE + second * MICROS_PER_SECOND;
        long precision = n == 2 ? MICROS_PER_HOUR : n == 4 ? MICROS_PER_MINUTE : MICROS_PER_SECOND;
        if (dot >= 0) {
            long fraction = fraction(t, dot + 1, why);
            if (fraction == INVALID) {
                return null;
            }
            first += fraction;
            precision = fractionPrecision(t.length() - dot - 1);
        }
        return new Span(first, first + precision - 1, NO_OFFSET);
    }

    /**
     * A TM key: one time or a range. With {@code ordered}, a range that starts after it ends is rejected: TM ranges do
     * not cross midnight (PS3.4 C.2.2.2.5.2). Combined date-time matching checks order on the combined range instead.
     */
    static Range parseTimeRange(String s, boolean ordered, StringBuilder why) {
        int dash = s.indexOf('-');
        if (dash < 0) {
            Span span = parseTime(s, false, why);
            return span == null ? null : new Range(span, span, true);
        }
        if (s.indexOf('-', dash + 1) >= 0) {
            return failRange(why, "a time range has one '-' (HHMMSS-HHMMSS, -HHMMSS or HHMMSS-)");
        }
        String left = s.substring(0, dash).trim();
        String right = s.substring(dash + 1).trim();
        if (left.isEmpty() && right.isEmpty()) {
            return failRange(why, "a range needs at least one bound");
        }
        Span lower = left.isEmpty() ? null : parseTime(left, false, why);
        if (!left.isEmpty() && lower == null) {
            return null;
        }
        Span upper = right.isEmpty() ? null : parseTime(right, false, why);
        if (!right.isEmpty() && upper == null) {
            return null;
        }
        if (ordered && lower != null && upper != null && lower.first() > upper.last()) {
            return failRange(
                    why, "the range starts after it ends; TM ranges do not cross midnight (PS3.4 C.2.2.2.5.2)");
        }
        return new Range(lower, upper, false);
    }

    // ---- DT ----

    /** A DT value, YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]] with an optional UTC offset suffix &ZZXX (PS3.5). */
    static Span parseDateTime(String s, StringBuilder why) {
        int sign = Math.max(s.lastIndexOf('+'), s.lastIndexOf('-'));
        int offset = NO_OFFSET;
        String core = s;
        if (sign >= 0) {
            offset = parseOffset(s, sign, why);
            if (offset == NO_OFFSET) {
                return null;
            }
            core = s.substring(0, sign);
        }
        int dot = core.indexOf('.');
        int n = dot < 0 ? core.length() : dot;
        if (n < 4 || n > 14 || n % 2 != 0) {
            return failSpan(why, "a date-time is YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][&ZZXX]");
        }
        if (dot >= 0 && n != 14) {
            return failSpan(why, "fractional seconds follow a full YYYYMMDDHHMMSS");
        }
        int year = digits(core, 0, 4);
        int month = n >= 6 ? digits(core, 4, 6) : 1;
        int day = n >= 8 ? digits(core, 6, 8) : 1;
        int hour = n >= 10 ? digits(core, 8, 10) : 0;
        int minute = n >= 12 ? digits(core, 10, 12) : 0;
        int second = n >= 14 ? digits(core, 12, 14) : 0;
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return failSpan(why, "a date-time is digits, YYYYMMDDHHMMSS.FFFFFF");
        }
        long epochDay = epochDay(year, month, day, why);
        if (epochDay == INVALID || !checkClock(hour, minute, second, why)) {
            return null;
        }
        long first = epochDay * MICROS_PER_DAY
                + hour * MICROS_PER_HOUR
                + minute * MICROS_PER_MINUTE
                + second * MICROS_PER_SECOND;
        long last;
        if (dot >= 0) {
            long fraction = fraction(core, dot + 1, why);
            if (fraction == INVALID) {
                return null;
            }
            first += fraction;
            last = first + fractionPrecision(core.length() - dot - 1) - 1;
        } else {
            last = switch (n) {
                case 4 -> LocalDate.of(year, 12, 31).toEpochDay() * MICROS_PER_DAY + MICROS_PER_DAY - 1;
                case 6 -> YearMonth.of(year, month).atEndOfMonth().toEpochDay() * MICROS_PER_DAY + MICROS_PER_DAY - 1;
                case 8 -> first + MICROS_PER_DAY - 1;
                case 10 -> first + MICROS_PER_HOUR - 1;
                case 12 -> first + MICROS_PER_MINUTE - 1;
                default -> first + MICROS_PER_SECOND - 1;
            };
        }
        return new Span(first, last, offset);
    }

    /**
     * A DT key: one value or a range. '-' is both the range separator and the sign of a negative UTC offset, so every
     * reading is tried and exactly one must parse as ordered bounds; "2024-0500" is 2024 at UTC-05:00, because as a
     * range it would end before it starts.
     */
    static Range parseDateTimeRange(String s, StringBuilder why) {
        if (s.indexOf('-') < 0) {
            Span span = parseDateTime(s, why);
            return span == null ? null : new Range(span, span, true);
        }
        Range found = null;
        int readings = 0;
        boolean reversed = false;
        Span single = parseDateTime(s, null);
        if (single != null) {
            found = new Range(single, single, true);
            readings++;
        }
        for (int i = s.indexOf('-'); i >= 0; i = s.indexOf('-', i + 1)) {
            String left = s.substring(0, i).trim();
            String right = s.substring(i + 1).trim();
            if (left.isEmpty() && right.isEmpty()) {
                continue;
            }
            Span lower = left.isEmpty() ? null : parseDateTime(left, null);
            Span upper = right.isEmpty() ? null : parseDateTime(right, null);
            if ((!left.isEmpty() && lower == null) || (!right.isEmpty() && upper == null)) {
                continue;
            }
            if (lower != null && upper != null && compare(lower.first(), lower, upper.last(), upper) > 0) {
                reversed = true;
                continue;
            }
            found = new Range(lower, upper, false);
            readings++;
        }
        if (readings == 1) {
            return found;
        }
        if (readings > 1) {
            return failRange(why, "ambiguous: '-' reads both as a range separator and as a UTC offset sign");
        }
        if (reversed) {
            return failRange(why, "the range starts after it ends (PS3.4 C.2.2.2.5.3)");
        }
        return failRange(why, "not a date-time (YYYYMMDDHHMMSS.FFFFFF&ZZXX) or a range of them");
    }

    /** A UTC offset "&ZZXX" (the SH value of Timezone Offset From UTC) in minutes, or {@link #NO_OFFSET}. */
    static int parseOffset(String s, StringBuilder why) {
        if (s.length() != 5) {
            fail(why, "a UTC offset is &ZZXX");
            return NO_OFFSET;
        }
        return parseOffset(s, 0, why);
    }

    private static int parseOffset(String s, int sign, StringBuilder why) {
        char c = s.charAt(sign);
        int hours = sign + 5 == s.length() ? digits(s, sign + 1, sign + 3) : -1;
        int minutes = hours >= 0 ? digits(s, sign + 3, sign + 5) : -1;
        if ((c != '+' && c != '-') || hours < 0 || minutes < 0 || minutes > 59) {
            fail(why, "a UTC offset is &ZZXX: a sign and 4 digits");
            return NO_OFFSET;
        }
        int total = (c == '-' ? -1 : 1) * (hours * 60 + minutes);
        if (total < MIN_OFFSET_MINUTES || total > MAX_OFFSET_MINUTES) {
            fail(why, "a UTC offset lies between -1200 and +1400");
            return NO_OFFSET;
        }
        return total;
    }

    /**
     * Compares two DT instants: in UTC when both carry an offset, otherwise as local date-times (a value without an
     * offset is in some local time nobody told us about, so converting only the other one would be a guess).
     */
    static int compare(long a, Span aZone, long b, Span bZone) {
        return compare(a, aZone.offsetMinutes(), b, bZone.offsetMinutes());
    }

    static int compare(long a, int aOffset, long b, int bOffset) {
        if (aOffset != NO_OFFSET && bOffset != NO_OFFSET) {
            return Long.compare(a - aOffset * MICROS_PER_MINUTE, b - bOffset * MICROS_PER_MINUTE);
        }
        return Long.compare(a, b);
    }

    // ---- helpers ----

    private static long epochDay(int year, int month, int day, StringBuilder why) {
        if (month < 1 || month > 12) {
            return fail(why, "the month is out of range");
        }
        if (day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return fail(why, "the day is out of range for its month");
        }
        return LocalDate.of(year, month, day).toEpochDay();
    }

    /** Hours 00-23, minutes 00-59, seconds 00-60 (60 for a leap second, PS3.5 Table 6.2-1). */
    private static boolean checkClock(int hour, int minute, int second, StringBuilder why) {
        if (hour > 23) {
            fail(why, "the hour is out of range");
            return false;
        }
        if (minute > 59) {
            fail(why, "the minute is out of range");
            return false;
        }
        if (second > 60) {
            fail(why, "the second is out of range");
            return false;
        }
        return true;
    }

    /** The fractional seconds from {@code from} to the end of {@code s} as microseconds, 1 to 6 digits. */
    private static long fraction(String s, int from, StringBuilder why) {
        int len = s.length() - from;
        int value = len >= 1 && len <= 6 ? digits(s, from, s.length()) : -1;
        if (value < 0) {
            return fail(why, "fractional seconds are 1 to 6 digits");
        }
        return value * fractionPrecision(len);
    }

    /** Microseconds covered by the last digit of a fraction with {@code digits} digits. */
    private static long fractionPrecision(int digits) {
        long p = 1;
        for (int i = digits; i < 6; i++) {
            p *= 10;
        }
        return p;
    }

    /** "HH:MM" or "HH:MM:SS[.F]" without its colons, or {@code null} if the colons are not there. */
    private static String withoutLegacyColons(String s) {
        boolean hhmm = s.length() == 5 && s.charAt(2) == ':';
        boolean hhmmss = s.length() >= 8 && s.charAt(2) == ':' && s.charAt(5) == ':';
        if (!hhmm && !hhmmss) {
            return null;
        }
        String t = hhmm ? s.substring(0, 2) + s.substring(3) : s.substring(0, 2) + s.substring(3, 5) + s.substring(6);
        return t.indexOf(':') >= 0 ? null : t;
    }

    /** The decimal number in {@code s[from, to)}, or -1 if any character is not an ASCII digit. */
    static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static long fail(StringBuilder why, String reason) {
        if (why != null && why.length() == 0) {
            why.append(reason);
        }
        return INVALID;
    }

    private static Span failSpan(StringBuilder why, String reason) {
        fail(why, reason);
        return null;
    }

    private static Range failRange(StringBuilder why, String reason) {
        fail(why, reason);
        return null;
    }
}
