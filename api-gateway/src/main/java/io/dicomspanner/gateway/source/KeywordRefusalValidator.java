package io.dicomspanner.gateway.source;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.lang.annotation.Annotation;

/**
 * A keyword constraint whose message is the refusal itself ({@link MatchingKeywords}), naming the refused value;
 * {@code null} passes.
 */
abstract class KeywordRefusalValidator<A extends Annotation> implements ConstraintValidator<A, String> {

    /** Why {@code value} is refused, or {@code null} if it is accepted. */
    abstract String refusal(String value);

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        String refusal = value == null ? null : refusal(value);
        if (refusal == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(MatchingKeywords.literalTemplate(refusal))
                .addConstraintViolation();
        return false;
    }
}
