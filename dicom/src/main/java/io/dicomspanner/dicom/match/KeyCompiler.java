package io.dicomspanner.dicom.match;

import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns the values of one key attribute into an {@link AttributeKey}, rejecting values no matching rule accepts. */
final class KeyCompiler {

    /** VRs that take "*" and "?" (PS3.4 C.2.2.2.4). */
    private static final Set<VR> WILDCARD_VRS =
            EnumSet.of(VR.AE, VR.CS, VR.LO, VR.LT, VR.PN, VR.SH, VR.ST, VR.UC, VR.UR, VR.UT);

    /** VRs to which Multiple Value Matching applies (PS3.4 C.2.2.2.8). */
    private static final Set<VR> MULTIPLE_VALUE_VRS =
            EnumSet.of(VR.AE, VR.AS, VR.AT, VR.CS, VR.LO, VR.PN, VR.SH, VR.UC);

    /**
     * Identifier attributes that say how to match or where to retrieve, never what to match: Query/Retrieve Level,
     * Specific Character Set ("never matched", PS3.4 C.2.2.2), Timezone Offset From UTC, which says in which zone the
     * key's times are, and the retrieve locations and availability, which differ from PACS to PACS for one study.
     */
    private static final Set<Integer> NEVER_MATCHED = Set.of(
            Tag.QUERY_RETRIEVE_LEVEL,
            Tag.SPECIFIC_CHARACTER_SET,
            Tag.RETRIEVE_AE_TITLE,
            Tag.INSTANCE_AVAILABILITY,
            Tag.RETRIEVE_URL,
            Tag.TIMEZONE_OFFSET_FROM_UTC);

    private static final int MAX_UID_LENGTH = 64;
    private static final String EMPTY_VALUE_KEY = "\"\"";

    private KeyCompiler() {}

    static boolean isNeverMatched(int tag) {
        int group = Tag.group(tag);
        return NEVER_MATCHED.contains(tag) || group == 0x0000 || group == 0x0002 || Tag.isGroupLength(tag);
    }

    /** Text and numbers can be matched; sequences are matched item by item; bulk data (O*, UN) not at all. */
    static boolean isMatchable(VR vr) {
        return vr != null && (vr.isText() || vr.binaryValueSize() > 0);
    }

    /** "Keyword (gggg,eeee)", behind the path of enclosing sequences: how error messages name an attribute. */
    static String describe(String parentPath, int tag) {
        String keyword = ElementDictionary.standard().keywordOf(tag);
        String name = keyword != null ? keyword + " " + Tag.toString(tag) : Tag.toString(tag);
        return parentPath == null ? name : parentPath + " > " + name;
    }

    /** A value as it would arrive in an identifier: split on backslash (except LT, ST, UT, UR) and unpadded. */
    static String[] splitValues(String value, VR vr) {
        if (vr.isSingleValuedText()) {
            return new String[] {value.stripTrailing()};
        }
        String[] values = value.split("\\\\", -1);
        for (int i = 0; i < values.length; i++) {
            values[i] = values[i].strip().replace("\0", "");
        }
        return values;
    }

    /**
     * The compiled key, or {@code null} when it matches everything: Universal Matching (zero-length, or only "*" for
     * the wildcard VRs, PS3.4 C.2.2.2.3 and C.2.2.2.4). Empty values inside a multi-valued key are ignored.
     *
     * @param queryOffset the identifier's Timezone Offset From UTC in minutes, for DT bounds without their own
     */
    static AttributeKey compileValues(
            String attribute, int tag, VR vr, String[] rawValues, MatchOptions options, int queryOffset) {
        List<String> values = new ArrayList<>(rawValues.length);
        for (String v : rawValues) {
            if (!v.isEmpty()) {
                values.add(v);
            }
        }
        if (values.isEmpty()) {
            return null;
        }
        if (options.emptyValueMatching() && values.size() == 1 && values.get(0).equals(EMPTY_VALUE_KEY)) {
            return new AttributeKey.EmptyValueKey(tag);
        }
        boolean everyKeyValue = values.size() > 1
                && options.multipleValueMatching()
                && MULTIPLE_VALUE_VRS.contains(vr)
                && allowsSeveralValues(tag);
        if (everyKeyValue) {
            for (String v : values) {
                if (WildcardPattern.hasWildcards(v)) {
                    throw invalid(attribute, tag, "Multiple Value Matching takes no wild cards (PS3.4 C.2.2.2.8)");
                }
            }
        } else if (vr != VR.PN && WILDCARD_VRS.contains(vr)) {
            for (String v : values) {
                if (WildcardPattern.isUniversal(v)) {
                    return null;
                }
            }
        }
        ValueMatch[] tests;
        if (vr == VR.UI) {
            tests = new ValueMatch[] {uidList(attribute, tag, values)};
        } else {
            List<ValueMatch> compiled = new ArrayList<>(values.size());
            for (String v : values) {
                ValueMatch test = compileValue(attribute, tag, vr, v, options, queryOffset);
                if (test != null) {
                    compiled.add(test);
                } else if (!everyKeyValue) {
                    return null;
                }
            }
            if (compiled.isEmpty()) {
                return null;
            }
            tests = compiled.toArray(new ValueMatch[0]);
        }
        return new AttributeKey.ValueKey(tag, tests, everyKeyValue);
    }

    /** One key value as a test; {@code null} for a PN that matches every name. */
    private static ValueMatch compileValue(
            String attribute, int tag, VR vr, String value, MatchOptions options, int queryOffset) {
        StringBuilder why = new StringBuilder();
        switch (vr) {
            case DA -> {
                DicomTemporal.Range range = DicomTemporal.parseDateRange(value, why);
                if (range == null) {
                    throw invalid(attribute, tag, "not a DA value or range: " + why);
                }
                return new ValueMatch.DateRange(range);
            }
            case TM -> {
                DicomTemporal.Range range = DicomTemporal.parseTimeRange(value, true, why);
                if (range == null) {
                    throw invalid(attribute, tag, "not a TM value or range: " + why);
                }
                return new ValueMatch.TimeRange(range);
            }
            case DT -> {
                DicomTemporal.Range range = DicomTemporal.parseDateTimeRange(value, why);
                if (range == null) {
                    throw invalid(attribute, tag, "not a DT value or range: " + why);
                }
                return new ValueMatch.DateTimeRange(withDefaultOffset(range, queryOffset));
            }
            case PN -> {
                String problem = PersonNameMatch.structureProblem(value);
                if (problem != null) {
                    throw invalid(attribute, tag, problem);
                }
                return PersonNameMatch.compile(value, options.caseInsensitivePersonName());
            }
            case IS, US, SS, UL, SL, SV, UV -> {
                if (!Numbers.isInteger(value)) {
                    throw invalid(attribute, tag, "not an integer");
                }
                BigDecimal number = new BigDecimal(value);
                if (!IntegerRange.of(vr).contains(number)) {
                    throw invalid(attribute, tag, "out of range for VR " + vr);
                }
                return new ValueMatch.NumberEquals(number);
            }
            case DS, FL, FD -> {
                if (!Numbers.isDecimal(value)) {
                    throw invalid(attribute, tag, "not a decimal number");
                }
                return new ValueMatch.NumberEquals(new BigDecimal(value));
            }
            case AT -> {
                if (value.length() != 8 || !isHex(value)) {
                    throw invalid(attribute, tag, "an attribute tag is 8 hex digits");
                }
                return new ValueMatch.TagEquals(value);
            }
            case AS -> {
                if (value.length() != 4
                        || DicomTemporal.digits(value, 0, 3) < 0
                        || "DWMY".indexOf(value.charAt(3)) < 0) {
                    throw invalid(attribute, tag, "an age is nnnD, nnnW, nnnM or nnnY");
                }
                return new ValueMatch.TextEquals(value);
            }
            default -> {
                if (WILDCARD_VRS.contains(vr) && WildcardPattern.hasWildcards(value)) {
                    return new ValueMatch.Wildcard(new WildcardPattern(value, false));
                }
                return new ValueMatch.TextEquals(value);
            }
        }
    }

    private static ValueMatch uidList(String attribute, int tag, List<String> values) {
        Set<String> uids = new LinkedHashSet<>();
        for (String uid : values) {
            if (!isUid(uid)) {
                throw invalid(
                        attribute,
                        tag,
                        "a UID is up to 64 digits and dots, without empty components;"
                                + " several UIDs are separated by backslashes (PS3.4 C.2.2.2.2)");
            }
            uids.add(uid);
        }
        return new ValueMatch.UidList(Set.copyOf(uids));
    }

    private static DicomTemporal.Range withDefaultOffset(DicomTemporal.Range range, int offset) {
        if (offset == DicomTemporal.NO_OFFSET) {
            return range;
        }
        DicomTemporal.Span lower = range.lower() == null ? null : range.lower().withDefaultOffset(offset);
        DicomTemporal.Span upper = range.upper() == null ? null : range.upper().withDefaultOffset(offset);
        return new DicomTemporal.Range(lower, upper, range.single());
    }

    /** Whether the dictionary lets the attribute hold several values (VM other than "1"). */
    private static boolean allowsSeveralValues(int tag) {
        ElementDictionary.Entry entry = ElementDictionary.standard().entry(tag);
        return entry != null && !entry.vm().equals("1");
    }

    /** PS3.5 §9.1, except that leading zeros in components are accepted: real archives hold such UIDs. */
    static boolean isUid(String uid) {
        if (uid.isEmpty() || uid.length() > MAX_UID_LENGTH) {
            return false;
        }
        boolean componentStart = true;
        for (int i = 0; i < uid.length(); i++) {
            char c = uid.charAt(i);
            if (c == '.') {
                if (componentStart) {
                    return false;
                }
                componentStart = true;
            } else if (c >= '0' && c <= '9') {
                componentStart = false;
            } else {
                return false;
            }
        }
        return !componentStart;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    static InvalidMatchingKeyException invalid(String attribute, int tag, String reason) {
        return new InvalidMatchingKeyException(attribute, tag, reason);
    }

    /** The values an integer VR can hold (PS3.5 Table 6.2-1). */
    private record IntegerRange(BigDecimal min, BigDecimal max) {
        static IntegerRange of(VR vr) {
            return switch (vr) {
                case US -> new IntegerRange(0, 0xFFFF);
                case SS -> new IntegerRange(Short.MIN_VALUE, Short.MAX_VALUE);
                case UL -> new IntegerRange(0, 0xFFFF_FFFFL);
                case SV -> new IntegerRange(Long.MIN_VALUE, Long.MAX_VALUE);
                case UV -> new IntegerRange(BigDecimal.ZERO, new BigDecimal("18446744073709551615"));
                default -> new IntegerRange(Integer.MIN_VALUE, Integer.MAX_VALUE);
            };
        }

        IntegerRange(long min, long max) {
            this(BigDecimal.valueOf(min), BigDecimal.valueOf(max));
        }

        boolean contains(BigDecimal value) {
            return value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
        }
    }
}
