package io.dicomspanner.dicom.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compares two DICOM JSON documents by meaning: same tags, VRs and values. Always normalised, because the JSON model
 * lets the same value be written several ways: IS/DS {@code 1.0} = {@code 1} = {@code "1"}; FL and FD compared as the
 * float or double they denote (dcmtk prints FL with 9 significant digits, Java the shortest exact form); binary
 * numbers and SV/UV as integers; PN objects without empty groups; base64 by the bytes it encodes.
 *
 * <p>With {@link Quirks#DCM2JSON}, also the systematic differences of dcmtk's dcm2json 3.6.7, each documented below.
 */
final class JsonModelComparison {
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    enum Quirks {
        NONE,
        /**
         * dcm2json differs from us, by design on either side, in four ways:
         *
         * <ul>
         *   <li>It replaces Specific Character Set (0008,0005) with {@code ISO_IR 192}, even when empty, because it
         *       transcodes all text to UTF-8. We keep the declared value (it says what the values were decoded from,
         *       and JSON → data set → JSON must not change it); only presence and VR are compared.
         *   <li>It drops trailing empty PN components ({@code ^^^^} becomes empty, so the attribute loses its Value).
         *       PS3.5 §6.2.1 makes trailing empty components insignificant; we write the value as it is. PN groups
         *       are compared without trailing {@code ^}, and an attribute whose names are all empty as empty.
         *   <li>It pads odd-length binary values (invalid per PS3.5 §7.1.1; seen in private tags) with a NUL on
         *       reading. InlineBinary bytes are compared with ours padded the same way.
         *   <li>In Implicit VR data sets it resolves the dictionary's "US or SS" VR by Pixel Representation, where our
         *       DicomReader takes US. US and SS are accepted for each other when the values are equal.
         * </ul>
         */
        DCM2JSON
    }

    private static final Set<String> US_OR_SS = Set.of("US", "SS");

    private JsonModelComparison() {}

    static JsonNode parse(byte[] json) {
        return MAPPER.readTree(json);
    }

    /** One line per difference, each naming the tag path; empty when the documents mean the same. */
    static List<String> differences(JsonNode ours, JsonNode theirs, Quirks quirks) {
        List<String> out = new ArrayList<>();
        dataset("", ours, theirs, quirks, out);
        return out;
    }

    private static void dataset(String path, JsonNode ours, JsonNode theirs, Quirks quirks, List<String> out) {
        TreeSet<String> keys = new TreeSet<>(ours.propertyNames());
        keys.addAll(theirs.propertyNames());
        for (String key : keys) {
            String at = path + key;
            JsonNode a = ours.get(key);
            JsonNode b = theirs.get(key);
            if (a == null) {
                out.add(at + ": missing in ours, the other has " + b);
            } else if (b == null) {
                out.add(at + ": only in ours: " + a);
            } else {
                attribute(at, key, a, b, quirks, out);
            }
        }
    }

    private static void attribute(String at, String key, JsonNode a, JsonNode b, Quirks quirks, List<String> out) {
        String vr = a.get("vr").asString();
        String otherVr = b.get("vr").asString();
        boolean dcm2json = quirks == Quirks.DCM2JSON;
        if (!vr.equals(otherVr) && !(dcm2json && US_OR_SS.contains(vr) && US_OR_SS.contains(otherVr))) {
            out.add(at + ": VR " + vr + " vs " + otherVr);
            return;
        }
        if (dcm2json && key.equals("00080005")) {
            return;
        }
        for (String name : List.of("InlineBinary", "BulkDataURI")) {
            JsonNode x = a.get(name);
            JsonNode y = b.get(name);
            if ((x == null) != (y == null)) {
                out.add(at + ": " + name + " " + x + " vs " + y);
            } else if (x != null && !Arrays.equals(bytes(x, dcm2json), y.binaryValue())) {
                out.add(at + ": " + name + " bytes differ");
            }
        }
        JsonNode x = values(vr, a.get("Value"), dcm2json);
        JsonNode y = values(vr, b.get("Value"), dcm2json);
        if (x == null || y == null) {
            if (x != y) {
                out.add(at + ": Value " + x + " vs " + y);
            }
            return;
        }
        if (x.size() != y.size()) {
            out.add(at + ": " + x.size() + " values vs " + y.size() + ": " + x + " vs " + y);
            return;
        }
        for (int i = 0; i < x.size(); i++) {
            if (vr.equals("SQ")) {
                dataset(at + "[" + i + "].", x.get(i), y.get(i), quirks, out);
            } else if (!canonical(vr, x.get(i), dcm2json).equals(canonical(vr, y.get(i), dcm2json))) {
                out.add(at + ": value " + i + " " + x.get(i) + " vs " + y.get(i));
            }
        }
    }

    /** A Value array, or null when absent; PN names that are all empty count as absent for dcm2json. */
    private static JsonNode values(String vr, JsonNode value, boolean dcm2json) {
        if (value == null || !dcm2json || !vr.equals("PN")) {
            return value;
        }
        for (JsonNode v : value) {
            if (!canonical(vr, v, true).equals("null")) {
                return value;
            }
        }
        return null;
    }

    private static byte[] bytes(JsonNode base64, boolean padOdd) {
        byte[] b = base64.binaryValue();
        return padOdd && (b.length & 1) != 0 ? Arrays.copyOf(b, b.length + 1) : b;
    }

    /** A value reduced to what it means for its VR. */
    static Object canonical(String vr, JsonNode v, boolean dcm2json) {
        if (v.isNull()) {
            return "null";
        }
        String text = v.isNumber() ? v.decimalValue().toString() : v.isString() ? v.asString() : null;
        switch (vr) {
            case "PN" -> {
                if (!v.isObject()) {
                    return "PN " + v;
                }
                Map<String, String> groups = new TreeMap<>();
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    String group = e.getValue().isNull() ? "" : e.getValue().asString();
                    if (dcm2json) {
                        group = group.replaceAll("\\^+$", "");
                    }
                    if (!group.isEmpty()) {
                        groups.put(e.getKey(), group);
                    }
                }
                return groups.isEmpty() && dcm2json ? "null" : groups;
            }
            case "IS", "DS" -> {
                if (text == null) {
                    return v.toString();
                }
                try {
                    return new BigDecimal(text.trim()).stripTrailingZeros();
                } catch (NumberFormatException notANumber) {
                    return text;
                }
            }
            case "FL" -> {
                return text == null ? v.toString() : Float.toString(Float.parseFloat(text));
            }
            case "FD" -> {
                return text == null ? v.toString() : Double.toString(Double.parseDouble(text));
            }
            case "US", "SS", "UL", "SL", "SV", "UV" -> {
                return text == null ? v.toString() : new BigDecimal(text).toBigIntegerExact();
            }
            default -> {
                return v.isString() ? v.asString() : v.toString();
            }
        }
    }
}
