package io.dicomspanner.dicom.match;

import java.math.BigDecimal;

/** Decimal text of IS, DS and the binary number VRs as rendered by {@code Attributes.getStrings}. */
final class Numbers {
    private Numbers() {}

    /**
     * The value of {@code [+-]digits[.digits][(e|E)[+-]digits]} (at least one digit before or after the point), or
     * {@code null}; checked before BigDecimal so that a bad candidate value is an answer, not an exception.
     */
    static BigDecimal parse(String s) {
        return isDecimal(s) ? new BigDecimal(s) : null;
    }

    static boolean isDecimal(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0 || exponentDigits > 4) {
                return false;
            }
        }
        return i == n;
    }

    /** {@code [+-]digits}: the form of IS and of integer VRs. */
    static boolean isInteger(String s) {
        int i = s.isEmpty() || (s.charAt(0) != '+' && s.charAt(0) != '-') ? 0 : 1;
        if (i == s.length()) {
            return false;
        }
        for (; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
