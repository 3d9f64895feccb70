package io.dicomspanner.gateway.source;

import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.AttributeLevels;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which PS3.6 keywords name an attribute that can be a C-FIND matching key at some Query/Retrieve level: what a
 * source's {@code unmatched_keys} may list. Keywords are recognised ignoring case and surrounding spaces, and stored
 * as PS3.6 spells them, because the worker and the coordinator compare them as written.
 */
final class MatchingKeywords {

    /** PS3.6 keywords in lower case, to their entries; no two keywords of the dictionary differ only in case. */
    private static final Map<String, ElementDictionary.Entry> BY_LOWER_CASE = byLowerCase();

    private MatchingKeywords() {}

    /** The keyword as PS3.6 spells it, if {@code value} names any dictionary attribute. */
    static Optional<String> canonical(String value) {
        return entryOf(value).map(ElementDictionary.Entry::keyword);
    }

    /** Why {@code value} cannot be listed as an ignored matching key, or {@code null} if it can. */
    static String refusal(String value) {
        Optional<ElementDictionary.Entry> found = entryOf(value);
        if (found.isEmpty()) {
            // Quoted as sent: it may hold spaces.
            return '"' + value + "\" is not a PS3.6 keyword";
        }
        ElementDictionary.Entry entry = found.get();
        VR vr = entry.vr();
        if (vr == VR.SQ) {
            return entry.keyword() + " is a sequence, matched through the keys of its item, not by value";
        }
        // The matcher's rule (dicom match.KeyCompiler, not public): text and numbers are matched, O* and UN never.
        if (!vr.isText() && vr.binaryValueSize() == 0) {
            return entry.keyword() + " has VR " + vr + ", whose values are never matched";
        }
        // Command, file meta and directory attributes (groups 0000-0007) never appear in an identifier; the
        // response and query-control attributes belong to no level.
        if (Tag.group(entry.tag()) < 0x0008 || AttributeLevels.isLevelIndependent(entry.tag())) {
            return entry.keyword() + " is not a matching key at any query level";
        }
        return null;
    }

    /**
     * Why {@code value} cannot be probed, or {@code null} if it can: a matching key ({@link #refusal}) of the patient,
     * study or series level, the levels the capability probe asks at.
     */
    static String probeRefusal(String value) {
        String refusal = refusal(value);
        if (refusal != null) {
            return refusal;
        }
        ElementDictionary.Entry entry = entryOf(value).orElseThrow();
        if (AttributeLevels.levelOf(entry.tag()).orElse(QueryLevel.PATIENT) == QueryLevel.IMAGE) {
            return entry.keyword() + " is an image-level key; the probe asks patient, study and series keys";
        }
        return null;
    }

    /**
     * A message that quotes a client's value, as a Bean Validation message template that stands for itself: the
     * value's braces, dollar signs and backslashes would otherwise be interpolated.
     */
    static String literalTemplate(String message) {
        return message.replace("\\", "\\\\")
                .replace("{", "\\{")
                .replace("}", "\\}")
                .replace("$", "\\$");
    }

    private static Optional<ElementDictionary.Entry> entryOf(String value) {
        return Optional.ofNullable(BY_LOWER_CASE.get(value.strip().toLowerCase(Locale.ROOT)));
    }

    private static Map<String, ElementDictionary.Entry> byLowerCase() {
        Map<String, ElementDictionary.Entry> map = new HashMap<>(8192);
        for (ElementDictionary.Entry entry : ElementDictionary.standard().entries()) {
            ElementDictionary.Entry previous = map.put(entry.keyword().toLowerCase(Locale.ROOT), entry);
            if (previous != null && !previous.keyword().equals(entry.keyword())) {
                throw new IllegalStateException(
                        "keywords differing only in case: " + previous.keyword() + ", " + entry.keyword());
            }
        }
        return Map.copyOf(map);
    }
}
