package io.dicomspanner.gateway.source;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A list of keywords that names no attribute twice, comparing keywords as {@link MatchingKeywords} recognises them
 * ({@code modalitiesinstudy} repeats {@code ModalitiesInStudy}). {@code null} passes.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = DistinctKeywordsValidator.class)
public @interface DistinctKeywords {

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
