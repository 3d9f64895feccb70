package io.dicomspanner.gateway.validation;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A DICOM Application Entity title (PS3.5 §6.2, VR AE): 1 to 16 characters of the default repertoire, no backslash
 * (the value separator), no control characters, not only spaces. {@code null} passes; add {@code @NotNull} where
 * the title is required.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = AeTitleValidator.class)
public @interface AeTitle {

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
