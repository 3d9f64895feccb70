package io.dicomspanner.gateway.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

public class OneOfValidator implements ConstraintValidator<OneOf, String> {

    private Enum<?>[] constants;
    private String message;

    @Override
    public void initialize(OneOf annotation) {
        constants = annotation.value().getEnumConstants();
        message = "must be one of " + WireEnum.wireValues(annotation.value());
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        for (Enum<?> constant : constants) {
            if (WireEnum.wireOf(constant).equals(value)) {
                return true;
            }
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(message).addConstraintViolation();
        return false;
    }
}
