package io.dicomspanner.dicom.match;

import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.util.Objects;

/**
 * Checks one matching key value before a query is sent anywhere, so that the QIDO-RS layer can answer 400 and the
 * C-FIND SCP a failure status. It applies exactly the rules {@link QueryMatcher#compile} applies.
 */
public final class KeyValidator {
    private KeyValidator() {}

    /** As {@link #validate(int, VR, String, MatchOptions)} without extended negotiation ({@link MatchOptions#SCP}). */
    public static void validate(int tag, VR vr, String value) {
        validate(tag, vr, value, MatchOptions.SCP);
    }

    /**
     * Checks a key value as it would appear in an identifier: several values separated by backslashes, ranges with
     * "-". A {@code null} or empty value (Universal Matching) is always valid.
     *
     * @throws InvalidMatchingKeyException naming the attribute and what is wrong, without repeating the value
     */
    public static void validate(int tag, VR vr, String value, MatchOptions options) {
        Objects.requireNonNull(vr, "vr");
        Objects.requireNonNull(options, "options");
        if (value == null || value.isEmpty()) {
            return;
        }
        String attribute = KeyCompiler.describe(null, tag);
        if (tag == Tag.TIMEZONE_OFFSET_FROM_UTC) {
            StringBuilder why = new StringBuilder();
            if (DicomTemporal.parseOffset(value.strip(), why) == DicomTemporal.NO_OFFSET) {
                throw KeyCompiler.invalid(attribute, tag, why.toString());
            }
            return;
        }
        if (vr == VR.SQ) {
            throw KeyCompiler.invalid(
                    attribute, tag, "a sequence is matched through the keys of its item (PS3.4 C.2.2.2.6)");
        }
        if (!KeyCompiler.isMatchable(vr)) {
            throw KeyCompiler.invalid(attribute, tag, "values of VR " + vr + " cannot be matched");
        }
        KeyCompiler.compileValues(
                attribute, tag, vr, KeyCompiler.splitValues(value, vr), options, DicomTemporal.NO_OFFSET);
    }
}
