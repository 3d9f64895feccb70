package io.dicomspanner.dicom.json;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Fragments;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.SpecificCharacterSet;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Objects;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes data sets in the DICOM JSON model (PS3.18 Annex F), UTF-8, without insignificant whitespace.
 *
 * <ul>
 *   <li>Keys are the tags as eight upper-case hex digits in ascending order; group lengths (gggg,0000) are left out.
 *   <li>Text values lose their DICOM padding; an empty value inside a multi-valued attribute is {@code null}; a
 *       present but empty attribute is {@code {"vr":"XX"}} without {@code Value}.
 *   <li>PN values are objects with the non-empty component groups {@code Alphabetic}, {@code Ideographic},
 *       {@code Phonetic}.
 *   <li>FL FD SL SS UL US are JSON numbers. Non-finite FL/FD values, which JSON numbers cannot express, are written
 *       as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} (an extension; dcmtk refuses them).
 *   <li>SV and UV are JSON numbers while their magnitude is at most 2<sup>53</sup>, and decimal JSON strings beyond
 *       it: JavaScript clients parse every JSON number as a double and would silently round larger values. PS3.18
 *       §F.2.3 allows the string form for SV and UV.
 *   <li>IS and DS are JSON numbers written exactly as they appear in the data set when that text is a JSON number (for
 *       IS: an integer); any other form ({@code "+5"}, {@code "007"}, {@code ".5"}, IS {@code "1.0"}) is written as a
 *       JSON string with the original text, as PS3.18 §F.2.3 permits, so nothing is lost or rejected.
 *   <li>AT values are eight upper-case hex digits.
 *   <li>OB OD OF OL OV OW UN values are base64 {@code InlineBinary} of their little-endian bytes, or a
 *       {@code BulkDataURI} when the {@link BulkDataPolicy} gives one. Encapsulated pixel data has no InlineBinary
 *       form, so it needs a BulkDataURI from the policy.
 *   <li>Specific Character Set (0008,0005) is written as the data set declares it: it tells what the values were
 *       decoded from, and keeping it makes JSON &rarr; data set &rarr; JSON lossless.
 * </ul>
 *
 * <p>Built for the QIDO-RS answer path: tag keys and VR names are pre-encoded, numbers are written straight from the
 * little-endian bytes, and text that is plain ASCII is written from the wire bytes without decoding it into Java
 * strings. Other text is taken from {@link Attributes#getStrings(int)}, which decodes with the data set's Specific
 * Character Set. Instances are immutable and thread-safe.
 */
public final class DicomJsonWriter {

    /**
     * The caller owns the stream. Open objects are not closed on close(): a write that failed halfway must leave
     * visibly incomplete JSON rather than a well-formed but truncated answer.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .build();

    private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

    /** Largest magnitude a JavaScript number (an IEEE double) holds exactly for every integer up to it. */
    private static final long MAX_EXACT_DOUBLE_INTEGER = 1L << 53;

    private static final int INITIAL_SCRATCH_CHARS = 256;

    private final BulkDataPolicy bulkDataPolicy;

    /** A writer that inlines every binary value. */
    public DicomJsonWriter() {
        this(BulkDataPolicy.INLINE);
    }

    public DicomJsonWriter(BulkDataPolicy bulkDataPolicy) {
        this.bulkDataPolicy = Objects.requireNonNull(bulkDataPolicy, "bulkDataPolicy");
    }

    /** One data set as a JSON object. */
    public byte[] toBytes(Attributes dataset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        write(dataset, out);
        return out.toByteArray();
    }

    /** Data sets as a JSON array, the body of a QIDO-RS answer. */
    public byte[] toBytes(Iterable<? extends Attributes> datasets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        writeArray(datasets, out);
        return out.toByteArray();
    }

    /** One data set as a JSON object, for tests and diagnostics. */
    public String toJson(Attributes dataset) {
        StringWriter out = new StringWriter(1024);
        write(dataset, out);
        return out.toString();
    }

    /** Writes one data set as a JSON object in UTF-8; {@code out} is flushed, not closed. */
    public void write(Attributes dataset, OutputStream out) {
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            write(dataset, g);
        } catch (JacksonIOException e) {
            throw new UncheckedIOException(e.getCause());
        }
    }

    /** Writes one data set as a JSON object; {@code out} is flushed, not closed. */
    public void write(Attributes dataset, Writer out) {
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            write(dataset, g);
        } catch (JacksonIOException e) {
            throw new UncheckedIOException(e.getCause());
        }
    }

    /** Writes data sets as one JSON array in UTF-8; {@code out} is flushed, not closed. */
    public void writeArray(Iterable<? extends Attributes> datasets, OutputStream out) {
        try (DicomJsonArrayWriter array = openArray(out)) {
            for (Attributes ds : datasets) {
                array.add(ds);
            }
        }
    }

    /** Writes data sets as one JSON array; {@code out} is flushed, not closed. */
    public void writeArray(Iterable<? extends Attributes> datasets, Writer out) {
        try (DicomJsonArrayWriter array = openArray(out)) {
            for (Attributes ds : datasets) {
                array.add(ds);
            }
        }
    }

    /**
     * Starts a JSON array on {@code out} and returns the handle that appends data sets to it as they arrive (a QIDO-RS
     * answer streamed while C-FIND responses come in); closing the handle ends the array. UTF-8.
     */
    public DicomJsonArrayWriter openArray(OutputStream out) {
        return new DicomJsonArrayWriter(this, JSON.createGenerator(ObjectWriteContext.empty(), out));
    }

    /** As {@link #openArray(OutputStream)}, writing characters. */
    public DicomJsonArrayWriter openArray(Writer out) {
        return new DicomJsonArrayWriter(this, JSON.createGenerator(ObjectWriteContext.empty(), out));
    }

    /** Writes one data set as a JSON object at the generator's current position (inside an array, or as a value). */
    public void write(Attributes dataset, JsonGenerator generator) {
        output(generator).dataset(dataset);
    }

    /** An output to {@code generator}; reusing it for many data sets reuses its scratch buffer. */
    Output output(JsonGenerator generator) {
        return new Output(generator);
    }

    /** The state of writing to one generator: a scratch buffer reused for every text value. */
    final class Output {
        private final JsonGenerator g;
        private char[] chars = new char[INITIAL_SCRATCH_CHARS];
        private SpecificCharacterSet lastCharset;
        private boolean lastCharsetAsciiCompatible;

        Output(JsonGenerator g) {
            this.g = g;
        }

        void dataset(Attributes ds) {
            g.writeStartObject();
            for (int i = 0, n = ds.size(); i < n; i++) {
                int tag = ds.tagAt(i);
                if (!Tag.isGroupLength(tag)) {
                    attribute(ds, tag, ds.vrAt(i), ds.valueAt(i));
                }
            }
            g.writeEndObject();
        }

        private void attribute(Attributes ds, int tag, VR vr, Object value) {
            g.writeName(JsonNames.tag(tag));
            g.writeStartObject();
            g.writeName(JsonNames.VR_NAME);
            g.writeString(JsonNames.vr(vr));
            if (value instanceof Sequence sq) {
                sequence(sq);
            } else if (value instanceof Fragments fragments) {
                encapsulated(ds, tag, vr, fragments);
            } else if (value instanceof byte[] bytes) {
                if (vr.isText()) {
                    textBytes(ds, tag, vr, bytes);
                } else if (vr.binaryValueSize() == 0) {
                    binary(ds, tag, vr, bytes);
                } else if (vr == VR.AT) {
                    tags(bytes);
                } else {
                    numbers(vr, bytes);
                }
            } else if (value != null) {
                strings(vr, ds.getStrings(tag));
            }
            g.writeEndObject();
        }

        private void sequence(Sequence sq) {
            if (sq.isEmpty()) {
                return;
            }
            g.writeName(JsonNames.VALUE);
            g.writeStartArray();
            for (int i = 0, n = sq.size(); i < n; i++) {
                dataset(sq.get(i));
            }
            g.writeEndArray();
        }

        private void binary(Attributes ds, int tag, VR vr, byte[] bytes) {
            if (bytes.length == 0) {
                return;
            }
            String uri = bulkDataPolicy.bulkDataUri(ds, tag, vr, bytes.length);
            if (uri != null) {
                g.writeName(JsonNames.BULK_DATA_URI);
                g.writeString(uri);
            } else {
                g.writeName(JsonNames.INLINE_BINARY);
                g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes, 0, bytes.length);
            }
        }

        private void encapsulated(Attributes ds, int tag, VR vr, Fragments fragments) {
            long length = 0;
            for (byte[] item : fragments.items()) {
                length += item.length;
            }
            String uri = bulkDataPolicy.bulkDataUri(ds, tag, vr, length);
            if (uri == null) {
                throw new DicomJsonException(Tag.toString(tag)
                        + " holds encapsulated (compressed) pixel data, which the DICOM JSON model can only refer to"
                        + " with a BulkDataURI (PS3.18 §F.2.6); the BulkDataPolicy gave none");
            }
            g.writeName(JsonNames.BULK_DATA_URI);
            g.writeString(uri);
        }

        /** US SS UL SL FL FD SV UV from little-endian bytes; a trailing partial value is malformed and left out. */
        private void numbers(VR vr, byte[] b) {
            int size = vr.binaryValueSize();
            int n = b.length / size;
            if (n == 0) {
                return;
            }
            g.writeName(JsonNames.VALUE);
            g.writeStartArray();
            for (int off = 0, end = n * size; off < end; off += size) {
                switch (vr) {
                    case US -> g.writeNumber(le16(b, off));
                    case SS -> g.writeNumber((short) le16(b, off));
                    case UL -> g.writeNumber(le32(b, off) & 0xFFFFFFFFL);
                    case SL -> g.writeNumber(le32(b, off));
                    case FL -> floatValue(Float.intBitsToFloat(le32(b, off)));
                    case FD -> doubleValue(Double.longBitsToDouble(le64(b, off)));
                    case SV -> signedVeryLong(le64(b, off));
                    case UV -> unsignedVeryLong(le64(b, off));
                    default -> throw new IllegalStateException(vr + " is not a binary number VR");
                }
            }
            g.writeEndArray();
        }

        private void floatValue(float f) {
            if (Float.isFinite(f)) {
                g.writeNumber(f);
            } else {
                g.writeString(Float.toString(f));
            }
        }

        private void doubleValue(double d) {
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(Double.toString(d));
            }
        }

        private void signedVeryLong(long v) {
            if (v >= -MAX_EXACT_DOUBLE_INTEGER && v <= MAX_EXACT_DOUBLE_INTEGER) {
                g.writeNumber(v);
            } else {
                g.writeString(Long.toString(v));
            }
        }

        private void unsignedVeryLong(long v) {
            if (Long.compareUnsigned(v, MAX_EXACT_DOUBLE_INTEGER) <= 0) {
                g.writeNumber(v);
            } else {
                g.writeString(Long.toUnsignedString(v));
            }
        }

        /** AT: each value is group then element, each little-endian 16 bits; written as eight hex digits. */
        private void tags(byte[] b) {
            int n = b.length / 4;
            if (n == 0) {
                return;
            }
            g.writeName(JsonNames.VALUE);
            g.writeStartArray();
            char[] hex = scratch(8);
            for (int off = 0; off + 4 <= b.length; off += 4) {
                int tag = le16(b, off) << 16 | le16(b, off + 2);
                for (int k = 7; k >= 0; k--) {
                    hex[k] = HEX_DIGITS[tag & 0xF];
                    tag >>>= 4;
                }
                g.writeString(hex, 0, 8);
            }
            g.writeEndArray();
        }

        /**
         * Text held as wire bytes. Plain ASCII is copied into the scratch buffer and written from there; anything
         * else (and any value in a character set whose G0 is not ASCII) is decoded by the data layer.
         */
        private void textBytes(Attributes ds, int tag, VR vr, byte[] b) {
            if (!isAscii(b)
                    || (vr.kind() == VR.Kind.TEXT_SPECIFIC_CHARSET && !asciiCompatible(ds.specificCharacterSet()))) {
                strings(vr, ds.getStrings(tag));
                return;
            }
            int len = b.length;
            char[] c = scratch(len);
            for (int i = 0; i < len; i++) {
                c[i] = (char) b[i];
            }
            if (vr.isSingleValuedText()) {
                int end = trimEnd(c, 0, len);
                if (end > 0) {
                    g.writeName(JsonNames.VALUE);
                    g.writeStartArray();
                    g.writeString(c, 0, end);
                    g.writeEndArray();
                }
                return;
            }
            if (indexOf(c, '\\', 0, len) < 0) {
                int from = trimStart(c, 0, len);
                if (trimEnd(c, from, len) == from) {
                    return;
                }
            }
            g.writeName(JsonNames.VALUE);
            g.writeStartArray();
            int start = 0;
            while (true) {
                int end = indexOf(c, '\\', start, len);
                if (end < 0) {
                    end = len;
                }
                int from = trimStart(c, start, end);
                int to = trimEnd(c, from, end);
                asciiValue(vr, c, from, to);
                if (end == len) {
                    break;
                }
                start = end + 1;
            }
            g.writeEndArray();
        }

        private void asciiValue(VR vr, char[] c, int from, int to) {
            if (from == to) {
                g.writeNull();
            } else if (vr == VR.PN) {
                personName(c, from, to);
            } else if ((vr == VR.IS || vr == VR.DS) && JsonNumberSyntax.isNumber(c, from, to, vr == VR.IS)) {
                g.writeNumber(c, from, to - from);
            } else {
                g.writeString(c, from, to - from);
            }
        }

        /** Component groups are separated by '='; a third '=' belongs to the phonetic group rather than being lost. */
        private void personName(char[] c, int from, int to) {
            g.writeStartObject();
            int start = from;
            for (int group = 0; group < 3; group++) {
                int end = group < 2 ? indexOf(c, '=', start, to) : -1;
                if (end < 0) {
                    end = to;
                }
                if (end > start) {
                    g.writeName(JsonNames.PN_GROUPS[group]);
                    g.writeString(c, start, end - start);
                }
                if (end == to) {
                    break;
                }
                start = end + 1;
            }
            g.writeEndObject();
        }

        /** Values already decoded (and unpadded) by {@link Attributes#getStrings(int)}, or set from Java. */
        private void strings(VR vr, String[] values) {
            if (values.length == 0) {
                return;
            }
            g.writeName(JsonNames.VALUE);
            g.writeStartArray();
            for (String v : values) {
                if (v == null || v.isEmpty()) {
                    g.writeNull();
                } else if (vr == VR.PN) {
                    char[] c = scratch(v.length());
                    v.getChars(0, v.length(), c, 0);
                    personName(c, 0, v.length());
                } else if ((vr == VR.IS || vr == VR.DS) && JsonNumberSyntax.isNumber(v, vr == VR.IS)) {
                    g.writeNumber(v);
                } else {
                    g.writeString(v);
                }
            }
            g.writeEndArray();
        }

        private boolean asciiCompatible(SpecificCharacterSet cs) {
            if (cs != lastCharset) {
                lastCharset = cs;
                lastCharsetAsciiCompatible = DicomJsonWriter.asciiCompatible(cs);
            }
            return lastCharsetAsciiCompatible;
        }

        private char[] scratch(int length) {
            if (chars.length < length) {
                chars = new char[Math.max(length, chars.length * 2)];
            }
            return chars;
        }
    }

    /** True when no byte is above 0x7F and none is ESC, which would switch an ISO 2022 code element. */
    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0 || x == 0x1B) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when bytes below 0x80 mean ASCII in the data set's character set: true for all of them except JIS X 0201
     * (ISO_IR 13 / ISO 2022 IR 13 as first value), whose G0 puts YEN SIGN and OVERLINE where ASCII has backslash and
     * tilde.
     */
    private static boolean asciiCompatible(SpecificCharacterSet cs) {
        if (cs.isDefault() || cs == SpecificCharacterSet.UTF_8) {
            return true;
        }
        String[] codes = cs.codes();
        return codes.length == 0 || !codes[0].trim().endsWith("IR 13");
    }

    private static int indexOf(char[] c, char ch, int from, int to) {
        for (int i = from; i < to; i++) {
            if (c[i] == ch) {
                return i;
            }
        }
        return -1;
    }

    /** Leading spaces are insignificant in multi-valued text VRs (PS3.5 §6.2). */
    private static int trimStart(char[] c, int from, int to) {
        while (from < to && c[from] == ' ') {
            from++;
        }
        return from;
    }

    /** Trailing spaces, and the NUL that pads UI values, are padding. */
    private static int trimEnd(char[] c, int from, int to) {
        while (to > from && (c[to - 1] == ' ' || c[to - 1] == '\0')) {
            to--;
        }
        return to;
    }

    private static int le16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static int le32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    private static long le64(byte[] b, int off) {
        return (le32(b, off) & 0xFFFFFFFFL) | ((long) le32(b, off + 4)) << 32;
    }
}
