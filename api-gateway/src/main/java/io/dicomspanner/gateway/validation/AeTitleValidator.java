package io.dicomspanner.gateway.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

public class AeTitleValidator implements ConstraintValidator<AeTitle, String> {

    /** PS3.5 Table 6.2-1: an AE value is at most 16 characters. */
    public static final int MAX_LENGTH = 16;

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        String problem = problemWith(value);
        if (problem == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
        return false;
    }

    /** What is wrong with {@code value} as an AE title, or {@code null} if nothing is. */
    static String problemWith(String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            return "must not be empty or only spaces";
        }
        if (value.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters (an AE title)";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                return "must not contain a backslash";
            }
            if (c < 0x20 || c > 0x7E) {
                return "must contain only printable ASCII characters";
            }
        }
        return null;
    }
}
