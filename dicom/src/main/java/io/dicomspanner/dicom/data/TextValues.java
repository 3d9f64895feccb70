package io.dicomspanner.dicom.data;

/** Splitting and unpadding of text values (PS3.5 §6.2: which spaces are significant per VR). */
final class TextValues {
    private static final String[] NO_STRINGS = new String[0];

    private TextValues() {}

    /** Splits a decoded value on backslash (except single-valued VRs) and removes insignificant padding. */
    static String[] split(String s, VR vr) {
        if (vr.isSingleValuedText()) {
            String v = trimEnd(s);
            return v.isEmpty() ? NO_STRINGS : new String[] {v};
        }
        int n = 1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\') {
                n++;
            }
        }
        String[] out = new String[n];
        int start = 0;
        int k = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '\\') {
                out[k++] = unpad(s.substring(start, i));
                start = i + 1;
            }
        }
        if (n == 1 && out[0].isEmpty()) {
            return NO_STRINGS;
        }
        return out;
    }

    /** Leading and trailing spaces are insignificant for multi-valued text VRs; UI is padded with NUL. */
    static String unpad(String s) {
        int start = 0;
        int end = s.length();
        while (end > start && isPad(s.charAt(end - 1))) {
            end--;
        }
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    static String trimEnd(String s) {
        int end = s.length();
        while (end > 0 && isPad(s.charAt(end - 1))) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    private static boolean isPad(char c) {
        return c == ' ' || c == '\0';
    }
}
