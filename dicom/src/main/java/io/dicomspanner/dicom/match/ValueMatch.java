package io.dicomspanner.dicom.match;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import java.math.BigDecimal;
import java.util.Set;

/** One compiled key value, tested against one value of the candidate's attribute. */
interface ValueMatch {

    /**
     * @param value one non-empty value of the candidate, without padding
     * @param dataSet the data set (or sequence item) holding it, for context such as Timezone Offset From UTC
     */
    Outcome test(String value, Attributes dataSet);

    /** Single Value Matching of text, case-sensitive (PS3.4 C.2.2.2.1). */
    record TextEquals(String key) implements ValueMatch {
        @Override
        public Outcome test(String value, Attributes dataSet) {
            return key.equals(value) ? Outcome.MATCH : Outcome.NO_MATCH;
        }
    }

    /** AT values, eight hex digits in either case. */
    record TagEquals(String key) implements ValueMatch {
        @Override
        public Outcome test(String value, Attributes dataSet) {
            return key.equalsIgnoreCase(value) ? Outcome.MATCH : Outcome.NO_MATCH;
        }
    }

    /** Wild Card Matching (PS3.4 C.2.2.2.4). */
    record Wildcard(WildcardPattern pattern) implements ValueMatch {
        @Override
        public Outcome test(String value, Attributes dataSet) {
            return pattern.matches(value) ? Outcome.MATCH : Outcome.NO_MATCH;
        }
    }

    /** List of UID Matching (PS3.4 C.2.2.2.2): the key's backslash-separated UIDs as a set. */
    record UidList(Set<String> uids) implements ValueMatch {
        @Override
        public Outcome test(String value, Attributes dataSet) {
            return uids.contains(value) ? Outcome.MATCH : Outcome.NO_MATCH;
        }
    }

    /** Numbers compare by value, so "007" matches "7" and "1.50" matches "1.5". */
    record NumberEquals(BigDecimal key) implements ValueMatch {
        @Override
        public Outcome test(String value, Attributes dataSet) {
            BigDecimal candidate = Numbers.parse(value);
            if (candidate == null) {
                return Outcome.UNKNOWN;
            }
            return key.compareTo(candidate) == 0 ? Outcome.MATCH : Outcome.NO_MATCH;
        }
    }

    /**
     * A DA key, one date or a range (PS3.4 C.2.2.2.1, C.2.2.2.5.1). Candidates may use the ACR-NEMA form YYYY.MM.DD.
     */
    record DateRange(DicomTemporal.Range range) implements ValueMatch {
        @Override
        public Outcome test(String value, Attributes dataSet) {
            long day = DicomTemporal.parseDate(value, true, null);
            if (day == DicomTemporal.INVALID) {
                return Outcome.UNKNOWN;
            }
            boolean inside = (range.lower() == null || day >= range.lower().first())
                    && (range.upper() == null || day <= range.upper().last());
            return inside ? Outcome.MATCH : Outcome.NO_MATCH;
        }
    }

    /**
     * A TM key, one time or a range (PS3.4 C.2.2.2.1, C.2.2.2.5.2). A key covers what its precision covers ("2230" is
     * any moment of that minute); a candidate is the start of what it covers ("2230" is 22:30:00), so "2230" and
     * "223000" match each other. Candidates may use the ACR-NEMA form HH:MM:SS.
     */
    record TimeRange(DicomTemporal.Range range) implements ValueMatch {
        @Override
        public Outcome test(String value, Attributes dataSet) {
            DicomTemporal.Span time = DicomTemporal.parseTime(value, true, null);
            if (time == null) {
                return Outcome.UNKNOWN;
            }
            long t = time.first();
            boolean inside = (range.lower() == null || t >= range.lower().first())
                    && (range.upper() == null || t <= range.upper().last());
            return inside ? Outcome.MATCH : Outcome.NO_MATCH;
        }
    }

    /**
     * A DT key, one date-time or a range (PS3.4 C.2.2.2.1, C.2.2.2.5.3), with the same precision rule as
     * {@link TimeRange}. A value without its own UTC offset takes its data set's Timezone Offset From UTC (0008,0201);
     * when both sides then have an offset they compare in UTC, otherwise as local date-times.
     */
    record DateTimeRange(DicomTemporal.Range range) implements ValueMatch {
        @Override
        public Outcome test(String value, Attributes dataSet) {
            DicomTemporal.Span dt = DicomTemporal.parseDateTime(value, null);
            if (dt == null) {
                return Outcome.UNKNOWN;
            }
            int offset =
                    dt.offsetMinutes() != DicomTemporal.NO_OFFSET ? dt.offsetMinutes() : timezoneOffsetFromUtc(dataSet);
            long t = dt.first();
            DicomTemporal.Span lower = range.lower();
            DicomTemporal.Span upper = range.upper();
            boolean inside = (lower == null
                            || DicomTemporal.compare(t, offset, lower.first(), lower.offsetMinutes()) >= 0)
                    && (upper == null || DicomTemporal.compare(t, offset, upper.last(), upper.offsetMinutes()) <= 0);
            return inside ? Outcome.MATCH : Outcome.NO_MATCH;
        }
    }

    /** Timezone Offset From UTC of the data set or the nearest enclosing one, in minutes, or NO_OFFSET. */
    static int timezoneOffsetFromUtc(Attributes dataSet) {
        for (Attributes ds = dataSet; ds != null; ds = ds.parent()) {
            String offset = ds.getString(Tag.TIMEZONE_OFFSET_FROM_UTC);
            if (offset != null) {
                return DicomTemporal.parseOffset(offset, null);
            }
        }
        return DicomTemporal.NO_OFFSET;
    }
}
