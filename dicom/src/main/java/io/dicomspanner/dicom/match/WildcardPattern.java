package io.dicomspanner.dicom.match;

/**
 * A key value for Wild Card Matching (PS3.4 C.2.2.2.4): "*" matches any sequence of characters, including none, and
 * "?" matches exactly one character. A character is a Unicode code point, not a byte of the encoded value nor a UTF-16
 * unit, so "?" matches one kanji or one character outside the Basic Multilingual Plane.
 *
 * <p>A pattern without wildcards matches exactly (or ignoring case when asked), so PN single value matching uses the
 * same class.
 */
final class WildcardPattern {
    private final String pattern;
    private final boolean ignoreCase;

    WildcardPattern(String pattern, boolean ignoreCase) {
        this.pattern = pattern;
        this.ignoreCase = ignoreCase;
    }

    static boolean hasWildcards(String value) {
        return value.indexOf('*') >= 0 || value.indexOf('?') >= 0;
    }

    /** A value of only "*" characters matches everything, which PS3.4 C.2.2.2.4 equates with Universal Matching. */
    static boolean isUniversal(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) != '*') {
                return false;
            }
        }
        return true;
    }

    /**
     * Greedy matching that, on a mismatch, backtracks to the most recent "*" and lets it swallow one more character:
     * linear for patterns with one "*", and never exponential.
     */
    boolean matches(String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = -1;
        while (t < text.length()) {
            if (p < pattern.length()) {
                int pc = pattern.codePointAt(p);
                if (pc == '*') {
                    p++;
                    starP = p;
                    starT = t;
                    continue;
                }
                int tc = text.codePointAt(t);
                if (pc == '?' || same(pc, tc)) {
                    p += Character.charCount(pc);
                    t += Character.charCount(tc);
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            starT += Character.charCount(text.codePointAt(starT));
            t = starT;
            p = starP;
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private boolean same(int a, int b) {
        return a == b || (ignoreCase && fold(a) == fold(b));
    }

    /** Upper then lower case, so that letters with several case forms (Greek sigma, Turkish dotless i) meet. */
    private static int fold(int codePoint) {
        return Character.toLowerCase(Character.toUpperCase(codePoint));
    }
}
