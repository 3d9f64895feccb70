package io.dicomspanner.dicom.probe;

import io.dicomspanner.dicom.data.VR;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The values the probe puts in its matching keys. The value that must not match is one no real record holds: an
 * obviously artificial string, a date before DICOM existed, a number no series gets. Since the probe's C-FINDs also
 * name the sample's unique key, it need only differ from the sample's own values; two candidates per VR make sure it
 * does. Every candidate is valid for its VR (length, character repertoire) and free of wildcards, so a source has no
 * reason to refuse it.
 */
final class ProbeValues {

    private static final Map<VR, List<String>> NO_RECORD_VALUES = new EnumMap<>(VR.class);

    static {
        NO_RECORD_VALUES.put(VR.AE, List.of("ZZPROBENOMATCH", "ZZPROBENOMATCHB"));
        NO_RECORD_VALUES.put(VR.AS, List.of("999Y", "998Y"));
        // CS: upper case, digits, space and underscore, at most 16 characters
        NO_RECORD_VALUES.put(VR.CS, List.of("ZZPROBE_NOMATCH", "ZZPROBE_NOMATCHB"));
        NO_RECORD_VALUES.put(VR.DA, List.of("18500101", "18510202"));
        NO_RECORD_VALUES.put(VR.DT, List.of("18500101000000", "18510202000000"));
        NO_RECORD_VALUES.put(VR.TM, List.of("030303", "151515"));
        NO_RECORD_VALUES.put(VR.IS, List.of("987654321", "987654320"));
        NO_RECORD_VALUES.put(VR.DS, List.of("-98765.4321", "-98765.4320"));
        // SH: at most 16 characters
        List<String> text = List.of("ZZPROBE NOMATCH", "ZZPROBE NOMATCHB");
        for (VR vr : List.of(VR.SH, VR.LO, VR.LT, VR.ST, VR.UC, VR.UT)) {
            NO_RECORD_VALUES.put(vr, text);
        }
        NO_RECORD_VALUES.put(VR.PN, List.of("ZZPROBE^NOMATCH", "ZZPROBE^NOMATCHB"));
        NO_RECORD_VALUES.put(VR.UI, List.of("2.25.1", "2.25.2"));
    }

    private ProbeValues() {}

    static boolean supports(VR vr) {
        return NO_RECORD_VALUES.containsKey(vr);
    }

    /** A value of {@code vr} that matches none of {@code sampleValues}; empty in the absurd case that both would. */
    static Optional<String> noRecordValue(VR vr, String[] sampleValues) {
        for (String candidate : NO_RECORD_VALUES.get(vr)) {
            if (!couldMatch(vr, candidate, sampleValues)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The sample's own value to match with: its first non-empty value (one value of a multi-valued attribute). */
    static Optional<String> ownValue(String[] sampleValues) {
        for (String value : sampleValues) {
            if (!value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }

    /** True if the attribute has at least one non-empty value. */
    static boolean hasValue(String[] values) {
        return ownValue(values).isPresent();
    }

    /**
     * Whether {@code key} might match one of {@code values} under any reading a source may take: text ignoring case
     * (PN matching may be case-insensitive), dates and times by precision (the key "030303" matches the value "03",
     * which covers the whole hour), numbers by value.
     */
    private static boolean couldMatch(VR vr, String key, String[] values) {
        for (String raw : values) {
            String value = raw.strip();
            boolean match = switch (vr) {
                case DA, DT, TM -> {
                    String digits = value.replace(".", "").replace(":", "").replace("-", "");
                    yield !digits.isEmpty() && (key.startsWith(digits) || digits.startsWith(key));
                }
                case IS, DS -> sameNumber(key, value);
                default -> key.toUpperCase(Locale.ROOT).equals(value.toUpperCase(Locale.ROOT));
            };
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameNumber(String key, String value) {
        try {
            return new BigDecimal(key).compareTo(new BigDecimal(value)) == 0;
        } catch (NumberFormatException e) {
            // not a number: the source cannot read it as the key's number either
            return key.equals(value);
        }
    }
}
