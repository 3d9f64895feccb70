package io.dicomspanner.dicom.json;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.io.CharConversionException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.core.Base64Variant;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads the DICOM JSON model (PS3.18 Annex F) into data sets; the inverse of {@link DicomJsonWriter}.
 *
 * <p>Lenient where real producers differ and nothing is lost: IS, DS, SV and UV as JSON numbers or strings, FL/FD
 * also as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, tag keys in lower-case hex, properties
 * in any order, a PN value given as a plain string ({@code "Yamada^Tarou=山田^太郎"}), base64 without padding.
 *
 * <p>Strict where accepting would lose or invent data: a key that is not eight hex digits, a missing or unknown VR, a
 * value of the wrong JSON type for its VR, a number out of the VR's range, more than one of {@code Value},
 * {@code InlineBinary} and {@code BulkDataURI}, an unknown property, a duplicate tag, malformed JSON. Each is a
 * {@link DicomJsonException} that names the attribute by its tag path and the position in the document.
 *
 * <p>Text values are kept as Java strings; the data set's Specific Character Set (0008,0005), if the document has
 * one, is used only when the data set is later encoded to binary. Instances are immutable and thread-safe.
 */
public final class DicomJsonReader {

    /**
     * Default limit on JSON nesting. Each sequence level costs four JSON levels (data set, attribute, Value array,
     * item), so 500 allows about 120 nested sequences, far beyond any IOD, while bounding recursion on hostile input.
     */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 500;

    /**
     * Default limit on the length of one JSON string, in characters: 100,000,000 admits an InlineBinary of 75 MB and
     * bounds the memory one value can take.
     */
    public static final int DEFAULT_MAX_STRING_LENGTH = 100_000_000;

    private static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS.withPaddingAllowed();

    /** VRs that PS3.18 §F.2.2 allows a BulkDataURI for. */
    private static final Set<VR> BULK_DATA_VRS = EnumSet.of(
            VR.DS, VR.FL, VR.FD, VR.IS, VR.LT, VR.OB, VR.OD, VR.OF, VR.OL, VR.OV, VR.OW, VR.SL, VR.SS, VR.ST, VR.SV,
            VR.UC, VR.UL, VR.UN, VR.US, VR.UT, VR.UV);

    private final JsonFactory json;
    private final BulkDataResolver bulkDataResolver;

    /** A reader with the default limits that refuses documents holding a BulkDataURI. */
    public DicomJsonReader() {
        this(BulkDataResolver.REJECT);
    }

    public DicomJsonReader(BulkDataResolver bulkDataResolver) {
        this(bulkDataResolver, DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_STRING_LENGTH);
    }

    /**
     * @param maxNestingDepth limit on JSON nesting depth (see {@link #DEFAULT_MAX_NESTING_DEPTH})
     * @param maxStringLength limit on the characters of one JSON string (see {@link #DEFAULT_MAX_STRING_LENGTH})
     */
    public DicomJsonReader(BulkDataResolver bulkDataResolver, int maxNestingDepth, int maxStringLength) {
        this.bulkDataResolver = Objects.requireNonNull(bulkDataResolver, "bulkDataResolver");
        this.json = JsonFactory.builder()
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxNestingDepth)
                        .maxStringLength(maxStringLength)
                        .build())
                .build();
    }

    /** One data set from a document holding one JSON object. */
    public Attributes read(String document) {
        return readObject(open(() -> json.createParser(ObjectReadContext.empty(), document), true), true);
    }

    /** One data set from a UTF-8 document holding one JSON object. */
    public Attributes read(byte[] document) {
        return readObject(open(() -> json.createParser(ObjectReadContext.empty(), document), true), true);
    }

    /** One data set from a UTF-8 document holding one JSON object; {@code in} is not closed. */
    public Attributes read(InputStream in) {
        return readObject(open(() -> json.createParser(ObjectReadContext.empty(), in), false), false);
    }

    /** The data sets of a document holding a JSON array of objects (a QIDO-RS answer), or a single object. */
    public List<Attributes> readList(String document) {
        List<Attributes> out = new ArrayList<>();
        readEach(open(() -> json.createParser(ObjectReadContext.empty(), document), true), true, out::add);
        return out;
    }

    /** As {@link #readList(String)}, from UTF-8 bytes. */
    public List<Attributes> readList(byte[] document) {
        List<Attributes> out = new ArrayList<>();
        readEach(open(() -> json.createParser(ObjectReadContext.empty(), document), true), true, out::add);
        return out;
    }

    /**
     * Hands each data set of a JSON array (or the single object) to {@code consumer} as soon as it is read, so a long
     * answer is never held whole; {@code in} is not closed.
     */
    public void readEach(InputStream in, Consumer<Attributes> consumer) {
        readEach(open(() -> json.createParser(ObjectReadContext.empty(), in), false), false, consumer);
    }

    /**
     * Creates the parser, which already reads the first bytes to detect the encoding: a failure there is bad input
     * like any later one (see {@link Input#translate}).
     */
    private static JsonParser open(Supplier<JsonParser> create, boolean inMemory) {
        try {
            return create.get();
        } catch (JacksonException e) {
            throw translate(e, inMemory, "DICOM JSON: ");
        }
    }

    /**
     * Parser failures as {@link DicomJsonException}s. Only a failure to read an input stream is I/O: a document in
     * memory (String, byte[]) cannot fail to read, and bytes that are no text in the detected encoding are bad input.
     */
    private static RuntimeException translate(JacksonException e, boolean inMemory, String prefix) {
        if (e instanceof JacksonIOException io) {
            Throwable cause = io.getCause();
            if (!inMemory
                    && !(cause instanceof CharConversionException)
                    && !(cause instanceof CharacterCodingException)) {
                return new UncheckedIOException(io.getCause());
            }
            return new DicomJsonException(
                    prefix + "not valid text: " + (cause != null ? cause.getMessage() : e.getOriginalMessage()), e);
        }
        return new DicomJsonException(prefix + e.getOriginalMessage(), e);
    }

    private Attributes readObject(JsonParser parser, boolean inMemory) {
        Input input = new Input(parser, inMemory);
        try (parser) {
            JsonToken t = parser.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw input.error(parser, "a DICOM JSON data set must be a JSON object, not " + describe(t));
            }
            Attributes ds = new Attributes();
            input.dataset(parser, ds);
            input.expectEnd(parser);
            return ds;
        } catch (JacksonException e) {
            throw input.translate(e);
        }
    }

    private void readEach(JsonParser parser, boolean inMemory, Consumer<Attributes> consumer) {
        Input input = new Input(parser, inMemory);
        try (parser) {
            JsonToken t = parser.nextToken();
            if (t == JsonToken.START_OBJECT) {
                Attributes ds = new Attributes();
                input.dataset(parser, ds);
                input.expectEnd(parser);
                consumer.accept(ds);
                return;
            }
            if (t != JsonToken.START_ARRAY) {
                throw input.error(parser, "expected a JSON array of data sets, not " + describe(t));
            }
            while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw input.error(
                            parser, "each element of the array must be a data set object, not " + describe(t));
                }
                Attributes ds = new Attributes();
                input.dataset(parser, ds);
                consumer.accept(ds);
            }
            input.expectEnd(parser);
        } catch (JacksonException e) {
            throw input.translate(e);
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the document";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    /** The state of one document: where in the tree the parser is, for error messages. */
    private final class Input {
        private final JsonParser root;
        private final boolean inMemory;
        private int[] pathTags = new int[8];
        private int[] pathItems = new int[8];
        private int depth;

        Input(JsonParser root, boolean inMemory) {
            this.root = root;
            this.inMemory = inMemory;
        }

        /** Reads the properties of a data set object whose START_OBJECT is the current token. */
        void dataset(JsonParser p, Attributes ds) {
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                int tag = tagKey(p, p.currentName());
                push(tag);
                if (ds.contains(tag)) {
                    throw error(p, "the tag appears twice in one data set");
                }
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw error(p, "an attribute must be an object with \"vr\", not " + describe(p.currentToken()));
                }
                attribute(p, ds, tag);
                pop();
            }
            if (t != JsonToken.END_OBJECT) {
                throw error(p, "expected an eight-hex-digit tag key, not " + describe(t));
            }
        }

        private int tagKey(JsonParser p, String key) {
            if (key.length() != 8) {
                throw error(p, "key \"" + key + "\" is not a tag of eight hex digits");
            }
            int tag = 0;
            for (int i = 0; i < 8; i++) {
                int d = Character.digit(key.charAt(i), 16);
                if (d < 0) {
                    throw error(p, "key \"" + key + "\" is not a tag of eight hex digits");
                }
                tag = tag << 4 | d;
            }
            if (Tag.group(tag) == 0xFFFE) {
                throw error(p, "key \"" + key + "\" is an item delimitation tag, not an attribute");
            }
            return tag;
        }

        /** The attribute object: "vr" and at most one of Value, InlineBinary, BulkDataURI, in any order. */
        private void attribute(JsonParser p, Attributes ds, int tag) {
            VR vr = null;
            String payloadName = null;
            String buffered = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "vr" -> {
                        if (vr != null) {
                            throw error(p, "\"vr\" appears twice");
                        }
                        vr = vr(p);
                    }
                    case "Value", "InlineBinary", "BulkDataURI" -> {
                        if (payloadName != null) {
                            throw error(
                                    p,
                                    "has both \"" + payloadName + "\" and \"" + name
                                            + "\"; an attribute holds at most one of Value, InlineBinary,"
                                            + " BulkDataURI");
                        }
                        payloadName = name;
                        if (vr == null) {
                            buffered = copyOf(p);
                        } else {
                            payload(p, ds, tag, vr, name);
                        }
                    }
                    default ->
                        throw error(
                                p,
                                "unknown property \"" + name
                                        + "\"; an attribute has \"vr\" and one of Value, InlineBinary, BulkDataURI");
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw error(p, "expected a property name, not " + describe(t));
            }
            if (vr == null) {
                throw error(p, "the attribute has no \"vr\"");
            }
            if (payloadName == null) {
                ds.setNull(tag, vr);
            } else if (buffered != null) {
                try (JsonParser value = json.createParser(ObjectReadContext.empty(), buffered)) {
                    value.nextToken();
                    payload(value, ds, tag, vr, payloadName);
                }
            }
        }

        private VR vr(JsonParser p) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw error(p, "\"vr\" must be a string, not " + describe(p.currentToken()));
            }
            String name = p.getString();
            VR vr = VR.ofName(name);
            if (vr == null) {
                throw error(p, "unknown VR \"" + name + "\"");
            }
            return vr;
        }

        /** A payload met before "vr" is kept as JSON text and parsed once the VR is known. */
        private String copyOf(JsonParser p) {
            StringWriter text = new StringWriter();
            try (JsonGenerator g = json.createGenerator(ObjectWriteContext.empty(), text)) {
                g.copyCurrentStructureExact(p);
            }
            return text.toString();
        }

        private void payload(JsonParser p, Attributes ds, int tag, VR vr, String name) {
            switch (name) {
                case "Value" -> value(p, ds, tag, vr);
                case "InlineBinary" -> inlineBinary(p, ds, tag, vr);
                default -> bulkData(p, ds, tag, vr);
            }
        }

        private void inlineBinary(JsonParser p, Attributes ds, int tag, VR vr) {
            if (vr.kind() != VR.Kind.BINARY || vr.binaryValueSize() != 0) {
                throw error(p, "InlineBinary is only for OB, OD, OF, OL, OV, OW and UN, not " + vr);
            }
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw error(p, "InlineBinary must be a base64 string, not " + describe(p.currentToken()));
            }
            ds.setBytes(tag, vr, p.getBinaryValue(BASE64));
        }

        private void bulkData(JsonParser p, Attributes ds, int tag, VR vr) {
            if (!BULK_DATA_VRS.contains(vr)) {
                throw error(p, "a BulkDataURI is not allowed for " + vr + " (PS3.18 §F.2.2)");
            }
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw error(p, "BulkDataURI must be a string, not " + describe(p.currentToken()));
            }
            String uri = p.getString();
            byte[] bytes = bulkDataResolver.resolve(tag, vr, uri);
            if (bytes == null) {
                throw error(p, "BulkDataURI " + uri + " was not resolved (this reader was given no resolver for it)");
            }
            ds.setBytes(tag, vr, bytes);
        }

        private void value(JsonParser p, Attributes ds, int tag, VR vr) {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw error(p, "\"Value\" must be an array, not " + describe(p.currentToken()));
            }
            switch (vr) {
                case SQ -> items(p, ds.newSequence(tag));
                case OB, OD, OF, OL, OV, OW, UN ->
                    throw error(p, vr + " values are written as InlineBinary or BulkDataURI, not as \"Value\"");
                case AT, US, SS, UL, SL, FL, FD, SV, UV -> ds.setBytes(tag, vr, binaryNumbers(p, vr));
                default -> ds.setString(tag, vr, texts(p, vr));
            }
        }

        private void items(JsonParser p, Sequence sq) {
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw error(p, "a sequence item must be an object, not " + describe(t));
                }
                pathItems[depth - 1] = sq.size();
                dataset(p, sq.addItem());
                pathItems[depth - 1] = -1;
            }
        }

        private String[] texts(JsonParser p, VR vr) {
            String[] values = new String[4];
            int n = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                String v;
                if (t == JsonToken.VALUE_NULL) {
                    v = "";
                } else if (t == JsonToken.VALUE_STRING) {
                    v = p.getString();
                } else if ((t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT)
                        && (vr == VR.IS || vr == VR.DS)) {
                    v = p.getString();
                } else if (t == JsonToken.START_OBJECT && vr == VR.PN) {
                    v = personName(p);
                } else {
                    throw error(p, vr + " values must be " + expectedText(vr) + ", not " + describe(t));
                }
                if (n == values.length) {
                    values = Arrays.copyOf(values, n * 2);
                }
                values[n++] = v;
            }
            return n == values.length ? values : Arrays.copyOf(values, n);
        }

        private String expectedText(VR vr) {
            return switch (vr) {
                case PN -> "objects with Alphabetic, Ideographic, Phonetic (or strings, or null)";
                case IS, DS -> "numbers or strings (or null)";
                default -> "strings (or null)";
            };
        }

        /** Joins the component groups with '=', leaving out trailing empty groups (PS3.5 §6.2.1). */
        private String personName(JsonParser p) {
            String[] groups = new String[3];
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                int group = switch (name) {
                    case "Alphabetic" -> 0;
                    case "Ideographic" -> 1;
                    case "Phonetic" -> 2;
                    default ->
                        throw error(
                                p,
                                "unknown person name component group \"" + name
                                        + "\"; expected Alphabetic, Ideographic or Phonetic");
                };
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING) {
                    groups[group] = p.getString();
                } else if (v != JsonToken.VALUE_NULL) {
                    throw error(p, "the " + name + " group must be a string, not " + describe(v));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw error(p, "expected a component group name, not " + describe(t));
            }
            int last = -1;
            for (int i = 0; i < 3; i++) {
                if (groups[i] != null && !groups[i].isEmpty()) {
                    last = i;
                }
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i <= last; i++) {
                if (i > 0) {
                    sb.append('=');
                }
                if (groups[i] != null) {
                    sb.append(groups[i]);
                }
            }
            return sb.toString();
        }

        /** AT and the binary number VRs, converted to little-endian bytes as they would be on the wire. */
        private byte[] binaryNumbers(JsonParser p, VR vr) {
            int size = vr.binaryValueSize();
            byte[] out = new byte[size * 4];
            int n = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if ((n + 1) * size > out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                int off = n * size;
                switch (vr) {
                    case AT -> putAttributeTag(p, t, out, off);
                    case FL -> put32(out, off, Float.floatToIntBits(floatValue(p, t)));
                    case FD -> put64(out, off, Double.doubleToLongBits(doubleValue(p, t)));
                    case SV -> put64(out, off, veryLong(p, t, false));
                    case UV -> put64(out, off, veryLong(p, t, true));
                    default -> {
                        long v = integer(p, t, vr);
                        if (size == 2) {
                            put16(out, off, (int) v);
                        } else {
                            put32(out, off, (int) v);
                        }
                    }
                }
                n++;
            }
            return Arrays.copyOf(out, n * size);
        }

        private void putAttributeTag(JsonParser p, JsonToken t, byte[] out, int off) {
            if (t != JsonToken.VALUE_STRING) {
                throw error(p, "AT values must be strings of eight hex digits, not " + describe(t));
            }
            String s = p.getString();
            int tag = 0;
            boolean ok = s.length() == 8;
            for (int i = 0; ok && i < 8; i++) {
                int d = Character.digit(s.charAt(i), 16);
                ok = d >= 0;
                tag = tag << 4 | Math.max(d, 0);
            }
            if (!ok) {
                throw error(p, "AT value \"" + s + "\" is not a tag of eight hex digits");
            }
            put16(out, off, tag >>> 16);
            put16(out, off + 2, tag);
        }

        /** US SS UL SL: a JSON integer within the VR's range. */
        private long integer(JsonParser p, JsonToken t, VR vr) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw error(p, vr + " values must be integers, not " + describe(t) + text(p, t));
            }
            long min;
            long max;
            switch (vr) {
                case US -> {
                    min = 0;
                    max = 0xFFFF;
                }
                case SS -> {
                    min = Short.MIN_VALUE;
                    max = Short.MAX_VALUE;
                }
                case UL -> {
                    min = 0;
                    max = 0xFFFFFFFFL;
                }
                default -> {
                    min = Integer.MIN_VALUE;
                    max = Integer.MAX_VALUE;
                }
            }
            JsonParser.NumberType type = p.getNumberType();
            if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                long v = p.getLongValue();
                if (v >= min && v <= max) {
                    return v;
                }
            }
            throw error(p, vr + " value " + p.getString() + " is outside " + min + ".." + max);
        }

        /** SV and UV: a JSON integer, or a decimal string (the form writers use beyond 2^53). */
        private long veryLong(JsonParser p, JsonToken t, boolean unsigned) {
            String vrName = unsigned ? "UV" : "SV";
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_STRING) {
                throw error(p, vrName + " values must be integers or decimal strings, not " + describe(t));
            }
            String s = p.getString();
            try {
                return unsigned ? Long.parseUnsignedLong(s) : Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw error(p, vrName + " value \"" + s + "\" is not an integer in the range of " + vrName);
            }
        }

        private float floatValue(JsonParser p, JsonToken t) {
            String s = floatText(p, t, "FL");
            float f = Float.parseFloat(s);
            if (Float.isInfinite(f) && !s.endsWith("Infinity")) {
                throw error(p, "FL value " + s + " is outside the range of a 32-bit float");
            }
            return f;
        }

        private double doubleValue(JsonParser p, JsonToken t) {
            String s = floatText(p, t, "FD");
            double d = Double.parseDouble(s);
            if (Double.isInfinite(d) && !s.endsWith("Infinity")) {
                throw error(p, "FD value " + s + " is outside the range of a 64-bit float");
            }
            return d;
        }

        private String floatText(JsonParser p, JsonToken t, String vrName) {
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                return p.getString();
            }
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getString();
                if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity")) {
                    return s;
                }
                throw error(p, vrName + " value \"" + s + "\" is a string; only NaN, Infinity, -Infinity may be");
            }
            throw error(p, vrName + " values must be numbers, not " + describe(t));
        }

        private String text(JsonParser p, JsonToken t) {
            if (t == JsonToken.VALUE_STRING) {
                return " \"" + p.getString() + "\"";
            }
            return t == JsonToken.VALUE_NUMBER_FLOAT ? " " + p.getString() : "";
        }

        void expectEnd(JsonParser p) {
            JsonToken t = p.nextToken();
            if (t != null) {
                throw error(p, "more content (" + describe(t) + ") after the end of the DICOM JSON document");
            }
        }

        private void push(int tag) {
            if (depth == pathTags.length) {
                pathTags = Arrays.copyOf(pathTags, depth * 2);
                pathItems = Arrays.copyOf(pathItems, depth * 2);
            }
            pathTags[depth] = tag;
            pathItems[depth] = -1;
            depth++;
        }

        private void pop() {
            depth--;
        }

        /** The tag path to the attribute being read, e.g. {@code (0040,A730)[0].(0008,0100)}. */
        private String path() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                if (i > 0) {
                    sb.append('.');
                }
                sb.append(Tag.toString(pathTags[i]));
                if (pathItems[i] >= 0) {
                    sb.append('[').append(pathItems[i]).append(']');
                }
            }
            return sb.toString();
        }

        DicomJsonException error(JsonParser p, String problem) {
            return new DicomJsonException(prefix(p.currentTokenLocation()) + problem);
        }

        private String prefix(TokenStreamLocation where) {
            StringBuilder sb = new StringBuilder("DICOM JSON");
            if (depth > 0) {
                sb.append(' ').append(path());
            }
            if (where != null && where != TokenStreamLocation.NA) {
                sb.append(" at line ")
                        .append(where.getLineNr())
                        .append(", column ")
                        .append(where.getColumnNr());
            }
            return sb.append(": ").toString();
        }

        /** Parser failures (malformed JSON, bad base64, a limit exceeded) with the attribute they happened in. */
        RuntimeException translate(JacksonException e) {
            TokenStreamLocation where = e.getLocation() != null ? e.getLocation() : root.currentLocation();
            return DicomJsonReader.translate(e, inMemory, prefix(where));
        }
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    private static void put32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private static void put64(byte[] b, int off, long v) {
        put32(b, off, (int) v);
        put32(b, off + 4, (int) (v >>> 32));
    }
}
