package io.dicomspanner.systemtest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for patient data in what the system wrote: each value (a patient name, ID or birth date) in each form it
 * could take on disk or on the wire — its UTF-8 bytes, its ISO 8859-1 bytes (a PACS answering in Latin-1), JSON with
 * non-ASCII escaped ({@code M\u00fcller}, either case), PostgreSQL's hex of bytea ({@code \x4dc3bc…}) — also inside
 * base64 (how the services' JSON carries {@code byte[]}), which it decodes wherever a run of base64 appears. Byte
 * content is compared as ISO 8859-1 text, one char per byte.
 */
final class PhiScan {
    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/]{16,}={0,2}");

    /** One value found: where, in which form, and which value. */
    record Hit(String where, String form, String value) {
        @Override
        public String toString() {
            return where + ": " + form + " of \"" + value + "\"";
        }
    }

    private record Needle(String value, String form, String bytes) {}

    private final List<Needle> needles = new ArrayList<>();
    private final List<Hit> hits = new ArrayList<>();

    PhiScan(Set<String> values) {
        for (String value : values) {
            Set<String> seen = new LinkedHashSet<>();
            add(value, "UTF-8", latin1(value.getBytes(StandardCharsets.UTF_8)), seen);
            if (StandardCharsets.ISO_8859_1.newEncoder().canEncode(value)) {
                add(value, "ISO 8859-1", value, seen);
            }
            add(value, "JSON-escaped", jsonEscaped(value, false), seen);
            add(value, "JSON-escaped", jsonEscaped(value, true), seen);
            add(value, "hex", HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8)), seen);
        }
    }

    private void add(String value, String form, String bytes, Set<String> seen) {
        if (seen.add(bytes)) {
            needles.add(new Needle(value, form, bytes));
        }
    }

    /** Scans {@code content}, named {@code where} in the hits, and the base64 runs in it, decoded. */
    void scan(String where, byte[] content) {
        String text = latin1(content);
        find(where, text);
        Matcher run = BASE64_RUN.matcher(text);
        while (run.find()) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(padded(run.group()));
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            find(where + " (base64)", latin1(decoded));
        }
    }

    private void find(String where, String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        for (Needle n : needles) {
            String in = n.form().equals("hex") ? lower : text;
            if (in.contains(n.bytes())) {
                hits.add(new Hit(where, n.form(), n.value()));
            }
        }
    }

    List<Hit> hits() {
        return hits;
    }

    int needles() {
        return needles.size();
    }

    private static String padded(String run) {
        String bare = run.replace("=", "");
        int rest = bare.length() % 4;
        return rest == 1 ? bare.substring(0, bare.length() - 1) : bare + "==".substring(0, rest == 0 ? 0 : 4 - rest);
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** JSON text with every non-ASCII character as {@code \\uXXXX}, in upper or lower case hex. */
    private static String jsonEscaped(String value, boolean upper) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c < 0x80) {
                out.append(c);
            } else {
                String hex = String.format("\\u%04x", (int) c);
                out.append(upper ? hex.toUpperCase().replace("\\U", "\\u") : hex);
            }
        }
        return out.toString();
    }
}
