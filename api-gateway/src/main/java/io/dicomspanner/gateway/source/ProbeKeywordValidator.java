package io.dicomspanner.gateway.source;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

public class ProbeKeywordValidator implements ConstraintValidator<ProbeKeyword, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        String refusal = value == null ? null : MatchingKeywords.probeRefusal(value);
        if (refusal == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(MatchingKeywords.literalTemplate(refusal))
                .addConstraintViolation();
        return false;
    }
}
