package io.dicomspanner.dicom.match;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.nio.charset.StandardCharsets;

/** Identifiers and candidates built the way they arrive from the wire: UTF-8 bytes, backslash-separated values. */
final class Identifiers {
    private Identifiers() {}

    static Attributes utf8() {
        return new Attributes().setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
    }

    /** Puts {@code value} as wire bytes; {@code null} leaves the attribute out, "" makes it present and empty. */
    static Attributes put(Attributes ds, int tag, VR vr, String value) {
        if (value != null) {
            ds.setBytes(tag, vr, value.getBytes(StandardCharsets.UTF_8));
        }
        return ds;
    }

    static Attributes with(int tag, VR vr, String value) {
        return put(utf8(), tag, vr, value);
    }

    /** Whether a candidate holding {@code candidate} matches an identifier whose only key is {@code key}. */
    static boolean matches(int tag, VR vr, String key, String candidate, MatchOptions options) {
        return QueryMatcher.compile(with(tag, vr, key), options).matches(with(tag, vr, candidate));
    }

    static boolean matches(int tag, VR vr, String key, String candidate) {
        return matches(tag, vr, key, candidate, MatchOptions.SCP);
    }
}
