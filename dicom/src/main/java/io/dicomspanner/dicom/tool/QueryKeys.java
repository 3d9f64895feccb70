package io.dicomspanner.dicom.tool;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a C-FIND identifier from {@code -k} arguments as findscu takes them: {@code Keyword} or a tag in hex
 * ({@code 00100020}, {@code 0010,0020}, {@code (0010,0020)}), optionally {@code =value}; no value or an empty one is
 * universal matching (return key), a backslash separates values. The VR comes from the dictionary.
 */
final class QueryKeys {
    /** The query/retrieve levels a C-FIND identifier may name (PS3.4 C.6). */
    static final Set<String> LEVELS = Set.of("PATIENT", "STUDY", "SERIES", "IMAGE");

    private static final Pattern HEX_TAG = Pattern.compile("\\(?([0-9a-fA-F]{4}),?([0-9a-fA-F]{4})\\)?");

    private QueryKeys() {}

    /**
     * The identifier: QueryRetrieveLevel = {@code level} plus every key. Non-ASCII values make it declare ISO_IR 192
     * (UTF-8) unless a SpecificCharacterSet key is given.
     */
    static Attributes identifier(String level, List<String> keys) throws UsageException {
        String normalisedLevel = level.toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(normalisedLevel)) {
            throw new UsageException("--level " + level + " is not one of PATIENT, STUDY, SERIES, IMAGE");
        }
        Attributes identifier = new Attributes();
        identifier.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, normalisedLevel);
        boolean nonAscii = false;
        for (String key : keys) {
            int eq = key.indexOf('=');
            String name = eq < 0 ? key : key.substring(0, eq);
            String value = eq < 0 ? "" : key.substring(eq + 1);
            int tag = tagOf(name);
            if (tag == Tag.QUERY_RETRIEVE_LEVEL) {
                if (!value.isEmpty() && !value.equalsIgnoreCase(normalisedLevel)) {
                    throw new UsageException("-k " + key + " contradicts --level " + normalisedLevel);
                }
                continue;
            }
            set(identifier, tag, name, value);
            nonAscii |= !StandardCharsets.US_ASCII.newEncoder().canEncode(value);
        }
        if (nonAscii && !identifier.contains(Tag.SPECIFIC_CHARACTER_SET)) {
            identifier.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
        }
        return identifier;
    }

    static int tagOf(String name) throws UsageException {
        Matcher hex = HEX_TAG.matcher(name);
        if (hex.matches()) {
            return Integer.parseUnsignedInt(hex.group(1) + hex.group(2), 16);
        }
        int tag = ElementDictionary.standard().tagOf(name);
        if (tag == -1) {
            throw new UsageException("'" + name + "' is neither a DICOM keyword (as PS3.6 spells it) nor a tag"
                    + " in hex such as 00100020");
        }
        return tag;
    }

    private static void set(Attributes identifier, int tag, String name, String value) throws UsageException {
        VR vr = ElementDictionary.standard().vrOf(tag);
        if (vr == VR.SQ) {
            if (!value.isEmpty()) {
                throw new UsageException(
                        "-k " + name + " is a sequence: give it without a value (an empty sequence, universal match)");
            }
            identifier.setNull(tag, VR.SQ);
            return;
        }
        if (value.isEmpty()) {
            identifier.setNull(tag, vr);
            return;
        }
        if (vr == VR.UN) {
            throw new UsageException("-k " + name + ": the dictionary has no VR for this tag, so it can only be a"
                    + " return key (no value)");
        }
        try {
            identifier.setString(tag, vr, value.split("\\\\", -1));
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    "-k " + name + "=" + value + " is not a valid " + vr + " value: " + e.getMessage(), e);
        }
    }
}
