package io.dicomspanner.dicom.json;

/**
 * The JSON number grammar (RFC 8259 §6), used to decide whether an IS or DS value can be written as a JSON number
 * exactly as it is. Values outside the grammar ({@code "+5"}, {@code "007"}, {@code ".5"}, IS {@code "1.0"}) are
 * written as JSON strings, which PS3.18 §F.2.3 allows "to preserve the original format".
 */
final class JsonNumberSyntax {
    private JsonNumberSyntax() {}

    static boolean isNumber(char[] c, int from, int to, boolean integerOnly) {
        return scan(c, null, from, to, integerOnly);
    }

    static boolean isNumber(String s, boolean integerOnly) {
        return scan(null, s, 0, s.length(), integerOnly);
    }

    private static boolean scan(char[] b, String s, int from, int to, boolean integerOnly) {
        int i = from;
        if (i < to && at(b, s, i) == '-') {
            i++;
        }
        if (i >= to) {
            return false;
        }
        char first = at(b, s, i);
        if (first == '0') {
            i++;
        } else if (first >= '1' && first <= '9') {
            i = digits(b, s, i, to);
        } else {
            return false;
        }
        if (i < to && at(b, s, i) == '.') {
            int start = ++i;
            i = digits(b, s, i, to);
            if (i == start) {
                return false;
            }
        }
        if (i < to && (at(b, s, i) == 'e' || at(b, s, i) == 'E')) {
            i++;
            if (i < to && (at(b, s, i) == '+' || at(b, s, i) == '-')) {
                i++;
            }
            int start = i;
            i = digits(b, s, i, to);
            if (i == start) {
                return false;
            }
        }
        if (i != to) {
            return false;
        }
        if (!integerOnly) {
            return true;
        }
        for (int k = from; k < to; k++) {
            char c = at(b, s, k);
            if (c == '.' || c == 'e' || c == 'E') {
                return false;
            }
        }
        return true;
    }

    private static int digits(char[] b, String s, int i, int to) {
        while (i < to) {
            char c = at(b, s, i);
            if (c < '0' || c > '9') {
                break;
            }
            i++;
        }
        return i;
    }

    private static char at(char[] b, String s, int i) {
        return b != null ? b[i] : s.charAt(i);
    }
}
