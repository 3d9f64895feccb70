package io.dicomspanner.dicom.json;

import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * The property names and VR strings of the DICOM JSON model, pre-encoded so writing them costs a copy, not an
 * allocation and an escaping pass.
 */
final class JsonNames {
    static final SerializedString VR_NAME = new SerializedString("vr");
    static final SerializedString VALUE = new SerializedString("Value");
    static final SerializedString INLINE_BINARY = new SerializedString("InlineBinary");
    static final SerializedString BULK_DATA_URI = new SerializedString("BulkDataURI");
    static final SerializedString ALPHABETIC = new SerializedString("Alphabetic");
    static final SerializedString IDEOGRAPHIC = new SerializedString("Ideographic");
    static final SerializedString PHONETIC = new SerializedString("Phonetic");
    static final SerializedString[] PN_GROUPS = {ALPHABETIC, IDEOGRAPHIC, PHONETIC};

    private static final SerializedString[] VR_VALUES = new SerializedString[VR.values().length];

    static {
        for (VR vr : VR.values()) {
            VR_VALUES[vr.ordinal()] = new SerializedString(vr.name());
        }
    }

    /**
     * Direct-mapped cache of tag keys. A QIDO answer repeats the same few dozen tags in every result, so after the
     * first result every key is a hit. Entries are immutable, so a racing overwrite only costs a recomputation.
     */
    private static final int TAG_CACHE_BITS = 12;

    private static final TagName[] TAG_CACHE = new TagName[1 << TAG_CACHE_BITS];

    private record TagName(int tag, SerializedString name) {}

    private JsonNames() {}

    static SerializableString vr(VR vr) {
        return VR_VALUES[vr.ordinal()];
    }

    /** The key of an attribute: its tag as eight upper-case hex digits (PS3.18 §F.2.2). */
    static SerializableString tag(int tag) {
        int slot = (tag * 0x9E3779B9) >>> (32 - TAG_CACHE_BITS);
        TagName cached = TAG_CACHE[slot];
        if (cached != null && cached.tag == tag) {
            return cached.name;
        }
        TagName fresh = new TagName(tag, new SerializedString(Tag.toHex(tag)));
        TAG_CACHE[slot] = fresh;
        return fresh.name;
    }
}
