package io.dicomspanner.gateway.source;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

public class MatchingKeywordValidator implements ConstraintValidator<MatchingKeyword, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        String refusal = value == null ? null : MatchingKeywords.refusal(value);
        if (refusal == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(MatchingKeywords.literalTemplate(refusal))
                .addConstraintViolation();
        return false;
    }
}
