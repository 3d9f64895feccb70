package io.dicomspanner.dicom.match;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The C-FIND attribute matching rules of PS3.4 C.2.2.2, compiled once from a query identifier and applied to any
 * number of candidate records: by a C-FIND SCP to select what it answers, and by the spanning coordinator to re-check
 * every record a PACS returned, since PACS differ in which keys they honour and how.
 *
 * <p>Compiling parses every key once (date and time ranges into numbers, wildcards into patterns, UID lists into
 * sets) and rejects a key that no rule accepts with an {@link InvalidMatchingKeyException} naming the attribute. A
 * candidate matches when every key matches; what happens when a candidate's value is absent, empty or unreadable is
 * the {@link MissingValuePolicy} of the {@link MatchOptions}.
 *
 * <p>Rules, with the choices the standard leaves to implementations:
 *
 * <ul>
 *   <li>Universal Matching (C.2.2.2.3): a zero-length key, or a key of only "*" for a wildcard VR, never filters, not
 *       even a candidate without the attribute. So return keys never filter. Query/Retrieve Level, Specific Character
 *       Set, Retrieve AE Title, Retrieve URL, Instance Availability and Timezone Offset From UTC are never matched;
 *       neither are bulk data (O* VRs) and UN keys, which some SCUs copy into identifiers.
 *   <li>Single Value Matching (C.2.2.2.1): exact and case-sensitive; PN case-insensitive if the options say so, and
 *       compared per component group (see {@link PersonNameMatch}); numbers (IS, DS, US, UL, ...) by value, so "007"
 *       matches "7"; DA, TM and DT by meaning: a key covers what its precision covers and a candidate value is the
 *       start of what it covers, so the key "2230" matches "223000" and "223059.5", and the key "223000" matches
 *       "2230".
 *   <li>List of UID Matching (C.2.2.2.2): a UI key with backslash-separated UIDs matches any of them.
 *   <li>Wild Card Matching (C.2.2.2.4): "*" and "?" for AE, CS, LO, LT, PN, SH, ST, UC, UR and UT only; elsewhere they
 *       are ordinary characters, and the key fails validation where they cannot occur (DA, TM, DT, UI, numbers). "?"
 *       is one Unicode character.
 *   <li>Range Matching (C.2.2.2.5): "a-b", "-b" and "a-" for DA, TM and DT, inclusive. A range that starts after it
 *       ends is rejected; for TM that is a range crossing midnight (C.2.2.2.5.2). DT values compare in UTC when both
 *       sides carry an offset (their own suffix or their data set's Timezone Offset From UTC), otherwise as local
 *       date-times. DA and TM are never shifted between zones. Candidates may use the ACR-NEMA forms YYYY.MM.DD and
 *       HH:MM:SS; keys may not.
 *   <li>Combined date-time matching (C.2.2.2.5.4), if enabled: a DA key and its TM partner (the attribute whose
 *       keyword ends in "Time" instead of "Date") that both hold a range match as one range from date1 + time1 to
 *       date2 + time2; a missing time bound is the start or end of the day. Otherwise each matches on its own.
 *   <li>Sequence Matching (C.2.2.2.6): the key holds one item; a candidate matches if one of its items matches all
 *       the item's keys. A key without items, or whose item holds only universal keys, never filters.
 *   <li>Empty Value Matching (C.2.2.2.7), if enabled: the key {@code ""} matches only empty or absent values.
 *   <li>Multi-valued attributes: a candidate value list matches if any of its values matches (C.2.2.3). A multi-valued
 *       key (other than a UID list) matches if any of its values matches; with Multiple Value Matching enabled, and
 *       for the VRs and attributes of C.2.2.2.8, only if every key value matches some candidate value. PS3.4 leaves
 *       multiple key values undefined without that negotiation; "any of" is what the QIDO proxy needs when it splits
 *       ModalitiesInStudy into one C-FIND per value and re-checks the union.
 * </ul>
 *
 * <p>Text keys are read with {@link Attributes#getStrings}, decoded with the identifier's character set, and candidates
 * likewise with theirs, so the two need not share one.
 *
 * <p>Immutable and thread-safe once compiled; changing the identifier afterwards does not change the matcher.
 */
public final class QueryMatcher {
    private final AttributeKey[] keys;
    private final MatchOptions options;

    private QueryMatcher(Attributes identifier, MatchOptions options, String parentPath, int queryOffset) {
        this.options = options;
        List<AttributeKey> compiled = new ArrayList<>();
        Set<Integer> pairedTimes = new HashSet<>();
        for (int i = 0; i < identifier.size(); i++) {
            int tag = identifier.tagAt(i);
            VR vr = identifier.vrAt(i);
            if (KeyCompiler.isNeverMatched(tag) || pairedTimes.contains(tag)) {
                continue;
            }
            String attribute = KeyCompiler.describe(parentPath, tag);
            AttributeKey key = null;
            if (vr == VR.SQ) {
                key = sequenceKey(identifier, tag, attribute, queryOffset);
            } else if (KeyCompiler.isMatchable(vr)) {
                if (vr == VR.DA && options.combinedDateTime()) {
                    key = combinedDateTimeKey(identifier, tag, attribute, parentPath);
                    if (key instanceof AttributeKey.CombinedDateTimeKey c) {
                        pairedTimes.add(c.timeTag());
                    }
                }
                if (key == null) {
                    key = KeyCompiler.compileValues(
                            attribute, tag, vr, identifier.getStrings(tag), options, queryOffset);
                }
            }
            if (key != null) {
                compiled.add(key);
            }
        }
        this.keys = compiled.toArray(new AttributeKey[0]);
    }

    /**
     * Compiles the matching keys of a C-FIND identifier (or of a QIDO-RS query expressed as one).
     *
     * @throws InvalidMatchingKeyException if a key value fits no matching rule, naming the attribute
     */
    public static QueryMatcher compile(Attributes identifier, MatchOptions options) {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(options, "options");
        int queryOffset = DicomTemporal.NO_OFFSET;
        String offset = identifier.getString(Tag.TIMEZONE_OFFSET_FROM_UTC);
        if (offset != null) {
            StringBuilder why = new StringBuilder();
            queryOffset = DicomTemporal.parseOffset(offset, why);
            if (queryOffset == DicomTemporal.NO_OFFSET) {
                throw KeyCompiler.invalid(
                        KeyCompiler.describe(null, Tag.TIMEZONE_OFFSET_FROM_UTC),
                        Tag.TIMEZONE_OFFSET_FROM_UTC,
                        why.toString());
            }
        }
        return new QueryMatcher(identifier, options, null, queryOffset);
    }

    /** Whether {@code candidate} (a record, or a C-FIND response identifier) satisfies every key. */
    public boolean matches(Attributes candidate) {
        Outcome outcome = evaluate(candidate);
        return outcome == Outcome.MATCH
                || (outcome == Outcome.UNKNOWN && options.missingValue() == MissingValuePolicy.KEEP);
    }

    /** True if no key filters, so every candidate matches. */
    public boolean isUniversal() {
        return keys.length == 0;
    }

    public MatchOptions options() {
        return options;
    }

    /** NO_MATCH if a key disproves the candidate, else UNKNOWN if a key could not compare its value, else MATCH. */
    Outcome evaluate(Attributes candidate) {
        Outcome outcome = Outcome.MATCH;
        for (AttributeKey key : keys) {
            Outcome o = key.evaluate(candidate);
            if (o == Outcome.NO_MATCH) {
                return o;
            }
            if (o == Outcome.UNKNOWN) {
                outcome = o;
            }
        }
        return outcome;
    }

    private AttributeKey sequenceKey(Attributes identifier, int tag, String attribute, int queryOffset) {
        Sequence sq = identifier.getSequence(tag);
        if (sq == null || sq.isEmpty()) {
            return null;
        }
        if (sq.size() > 1) {
            throw KeyCompiler.invalid(attribute, tag, "a sequence key holds exactly one item (PS3.4 C.2.2.2.6)");
        }
        QueryMatcher item = new QueryMatcher(sq.get(0), options, attribute, queryOffset);
        return item.isUniversal() ? null : new AttributeKey.SequenceKey(tag, item);
    }

    /**
     * The combined key for a DA key and its TM partner when both hold one range; {@code null} when matching them
     * separately is what the standard asks (a single date, a single time, a universal or absent partner).
     */
    private static AttributeKey combinedDateTimeKey(
            Attributes identifier, int dateTag, String dateAttribute, String parentPath) {
        int timeTag = timePartner(dateTag);
        if (timeTag < 0 || identifier.vrOf(timeTag) != VR.TM) {
            return null;
        }
        String[] dates = identifier.getStrings(dateTag);
        String[] times = identifier.getStrings(timeTag);
        if (dates.length != 1 || times.length != 1 || dates[0].indexOf('-') < 0 || times[0].indexOf('-') < 0) {
            return null;
        }
        StringBuilder why = new StringBuilder();
        DicomTemporal.Range date = DicomTemporal.parseDateRange(dates[0], why);
        if (date == null) {
            throw KeyCompiler.invalid(dateAttribute, dateTag, "not a DA value or range: " + why);
        }
        DicomTemporal.Range time = DicomTemporal.parseTimeRange(times[0], false, why);
        if (time == null) {
            String timeAttribute = KeyCompiler.describe(parentPath, timeTag);
            throw KeyCompiler.invalid(timeAttribute, timeTag, "not a TM value or range: " + why);
        }
        long first = date.lower() == null
                ? Long.MIN_VALUE
                : date.lower().first() * DicomTemporal.MICROS_PER_DAY
                        + (time.lower() == null ? 0 : time.lower().first());
        long last = date.upper() == null
                ? Long.MAX_VALUE
                : date.upper().last() * DicomTemporal.MICROS_PER_DAY
                        + (time.upper() == null
                                ? DicomTemporal.MICROS_PER_DAY - 1
                                : time.upper().last());
        if (first > last) {
            throw KeyCompiler.invalid(
                    dateAttribute, dateTag, "the combined date-time range starts after it ends (PS3.4 C.2.2.2.5.4)");
        }
        return new AttributeKey.CombinedDateTimeKey(dateTag, timeTag, first, last);
    }

    /** StudyDate → StudyTime, PatientBirthDate → PatientBirthTime, ...; -1 if the dictionary knows no such TM. */
    private static int timePartner(int dateTag) {
        ElementDictionary dictionary = ElementDictionary.standard();
        String keyword = dictionary.keywordOf(dateTag);
        if (keyword == null || !keyword.endsWith("Date")) {
            return -1;
        }
        ElementDictionary.Entry time =
                dictionary.entryOf(keyword.substring(0, keyword.length() - "Date".length()) + "Time");
        return time != null && time.vr() == VR.TM ? time.tag() : -1;
    }
}
