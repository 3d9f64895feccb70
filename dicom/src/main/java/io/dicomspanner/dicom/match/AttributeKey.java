package io.dicomspanner.dicom.match;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.VR;

/** One key attribute (or, under combined date-time matching, one DA + TM pair) compiled for matching. */
interface AttributeKey {

    Outcome evaluate(Attributes candidate);

    /**
     * Keys with values: any key value matching any candidate value is a match (PS3.4 C.2.2.2; C.2.2.3 for multi-valued
     * entity attributes), or, under Multiple Value Matching, every key value must match some candidate value (PS3.4
     * C.2.2.2.8).
     */
    record ValueKey(int tag, ValueMatch[] tests, boolean everyKeyValue) implements AttributeKey {
        @Override
        public Outcome evaluate(Attributes candidate) {
            VR vr = candidate.vrOf(tag);
            if (vr == null || !KeyCompiler.isMatchable(vr)) {
                return Outcome.UNKNOWN;
            }
            String[] values = candidate.getStrings(tag);
            return everyKeyValue ? everyKeyValueMatches(values, candidate) : anyKeyValueMatches(values, candidate);
        }

        private Outcome anyKeyValueMatches(String[] values, Attributes candidate) {
            Outcome best = null;
            for (String value : values) {
                if (value.isEmpty()) {
                    continue;
                }
                for (ValueMatch test : tests) {
                    Outcome o = test.test(value, candidate);
                    if (o == Outcome.MATCH) {
                        return o;
                    }
                    best = best == null ? o : best.or(o);
                }
            }
            return best == null ? Outcome.UNKNOWN : best;
        }

        private Outcome everyKeyValueMatches(String[] values, Attributes candidate) {
            Outcome all = Outcome.MATCH;
            boolean anyValue = false;
            for (ValueMatch test : tests) {
                Outcome best = Outcome.NO_MATCH;
                for (String value : values) {
                    if (!value.isEmpty()) {
                        anyValue = true;
                        best = best.or(test.test(value, candidate));
                    }
                }
                all = all.and(best);
            }
            return anyValue ? all : Outcome.UNKNOWN;
        }
    }

    /** Empty Value Matching (PS3.4 C.2.2.2.7): the key {@code ""} matches an empty or absent value, and only that. */
    record EmptyValueKey(int tag) implements AttributeKey {
        @Override
        public Outcome evaluate(Attributes candidate) {
            if (!candidate.contains(tag) || candidate.isEmptyValue(tag)) {
                return Outcome.MATCH;
            }
            if (!KeyCompiler.isMatchable(candidate.vrOf(tag))) {
                return Outcome.NO_MATCH;
            }
            for (String value : candidate.getStrings(tag)) {
                if (!value.isEmpty()) {
                    return Outcome.NO_MATCH;
                }
            }
            return Outcome.MATCH;
        }
    }

    /**
     * Sequence Matching (PS3.4 C.2.2.2.6): the candidate matches if at least one of its items matches every key of the
     * key's single item.
     */
    record SequenceKey(int tag, QueryMatcher item) implements AttributeKey {
        @Override
        public Outcome evaluate(Attributes candidate) {
            Sequence sq = candidate.getSequence(tag);
            if (sq == null || sq.isEmpty()) {
                return Outcome.UNKNOWN;
            }
            Outcome best = Outcome.NO_MATCH;
            for (Attributes it : sq.items()) {
                best = best.or(item.evaluate(it));
                if (best == Outcome.MATCH) {
                    break;
                }
            }
            return best;
        }
    }

    /**
     * Combined date-time matching (PS3.4 C.2.2.2.5.4): a DA range and a TM range matched as one range of local
     * date-times, in microseconds since 1970-01-01; {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} stand for open
     * bounds. A candidate without a readable time is the whole of its day: it matches when the whole day lies in the
     * range, does not when none of it does, and is unknown otherwise.
     */
    record CombinedDateTimeKey(int dateTag, int timeTag, long first, long last) implements AttributeKey {
        @Override
        public Outcome evaluate(Attributes candidate) {
            String date = firstValue(candidate, dateTag);
            long day = date == null ? DicomTemporal.INVALID : DicomTemporal.parseDate(date, true, null);
            if (day == DicomTemporal.INVALID) {
                return Outcome.UNKNOWN;
            }
            long dayStart = day * DicomTemporal.MICROS_PER_DAY;
            String time = firstValue(candidate, timeTag);
            DicomTemporal.Span span = time == null ? null : DicomTemporal.parseTime(time, true, null);
            if (span != null) {
                long t = dayStart + span.first();
                return t >= first && t <= last ? Outcome.MATCH : Outcome.NO_MATCH;
            }
            long dayEnd = dayStart + DicomTemporal.MICROS_PER_DAY - 1;
            if (dayStart >= first && dayEnd <= last) {
                return Outcome.MATCH;
            }
            return dayEnd < first || dayStart > last ? Outcome.NO_MATCH : Outcome.UNKNOWN;
        }

        private static String firstValue(Attributes candidate, int tag) {
            VR vr = candidate.vrOf(tag);
            if (vr == null || !KeyCompiler.isMatchable(vr)) {
                return null;
            }
            for (String value : candidate.getStrings(tag)) {
                if (!value.isEmpty()) {
                    return value;
                }
            }
            return null;
        }
    }
}
