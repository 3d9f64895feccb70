package io.dicomspanner.gateway.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.regex.Pattern;

public class HostNameValidator implements ConstraintValidator<HostName, String> {

    /** RFC 1035: a name is at most 253 characters written out. */
    public static final int MAX_LENGTH = 253;

    private static final Pattern DNS_NAME = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f.]*");

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        return value == null
                || (value.length() <= MAX_LENGTH
                        && (DNS_NAME.matcher(value).matches()
                                || IPV6.matcher(value).matches()));
    }
}
