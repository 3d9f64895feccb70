package io.dicomspanner.gateway.qido;

import io.dicomspanner.gateway.error.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the raw query string of a QIDO-RS search into its parameters, strictly: a parameter without a name, a
 * {@code %} not followed by two hex digits, bytes that are not UTF-8 once decoded, or more parameters than allowed are
 * each a problem named by the parameter (or by its position when its name is unreadable). The servlet container's own
 * parameter parsing is not used: it drops such parameters or fails with a message that quotes their values, which may
 * be PHI.
 */
public final class QidoQueryString {

    /** The field that names a problem of the query string as a whole, or of a parameter without a readable name. */
    public static final String QUERY = "query";

    private QidoQueryString() {}

    /**
     * @param raw the query string as sent, still percent-encoded; {@code null} for none
     * @param maxParameters parameters accepted at most ({@code spanner.qido.max-parameters})
     * @return each name with all its values, in request order; {@code +} is a space
     * @throws InvalidRequestException naming each malformed parameter, never quoting a value
     */
    public static Map<String, List<String>> parse(String raw, int maxParameters) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        InvalidRequestException.Collector problems = new InvalidRequestException.Collector();
        int position = 0;
        int start = 0;
        while (start <= raw.length()) {
            int end = raw.indexOf('&', start);
            if (end < 0) {
                end = raw.length();
            }
            if (end > start) {
                position++;
                if (position > maxParameters) {
                    problems.add(QUERY, "has more than " + maxParameters + " parameters");
                    break;
                }
                parameter(raw.substring(start, end), position, parameters, problems);
            }
            start = end + 1;
        }
        problems.throwIfAny();
        return parameters;
    }

    private static void parameter(
            String chunk,
            int position,
            Map<String, List<String>> parameters,
            InvalidRequestException.Collector problems) {
        int eq = chunk.indexOf('=');
        String rawName = eq < 0 ? chunk : chunk.substring(0, eq);
        String rawValue = eq < 0 ? "" : chunk.substring(eq + 1);
        String name = decode(rawName);
        if (name == null) {
            problems.add(QUERY, "the name of parameter " + position + " " + MALFORMED);
            return;
        }
        if (name.isEmpty()) {
            problems.add(QUERY, "parameter " + position + " has no name");
            return;
        }
        String value = decode(rawValue);
        if (value == null) {
            problems.add(name, "the value " + MALFORMED);
            return;
        }
        parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }

    private static final String MALFORMED =
            "is not well-formed: each % must start a %XX escape and the decoded bytes must be UTF-8";

    /** The percent-decoded text; {@code null} if an escape is malformed or the bytes are not UTF-8. */
    static String decode(String encoded) {
        if (encoded.indexOf('%') < 0 && encoded.indexOf('+') < 0) {
            return encoded;
        }
        byte[] bytes = new byte[encoded.length() * 3];
        int length = 0;
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    return null;
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes[length++] = (byte) (high << 4 | low);
                i += 2;
            } else if (c == '+') {
                bytes[length++] = ' ';
            } else {
                byte[] encodedChar = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isSurrogate(c)) {
                    return null; // the container never hands a raw query string with non-ASCII characters
                }
                for (byte b : encodedChar) {
                    bytes[length++] = b;
                }
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return utf8.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
