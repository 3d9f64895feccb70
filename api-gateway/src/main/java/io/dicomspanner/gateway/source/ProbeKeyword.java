package io.dicomspanner.gateway.source;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The PS3.6 keyword (any case) of a matching key the capability probe can ask: a {@link MatchingKeyword} of the
 * patient, study or series level; the message names the refused value ({@link MatchingKeywords#probeRefusal}).
 * {@code null} passes; add {@code @NotNull} where it must not.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ProbeKeywordValidator.class)
public @interface ProbeKeyword {

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
