package io.dicomspanner.gateway.validation;

import io.dicomspanner.common.wire.WireEnum;
import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The string is the wire value ({@link WireEnum}) of one of {@link #value()}'s constants ({@code null} passes: optional fields default).
 * Requests carry such fields as strings so that an unknown value is reported together with every other bad field.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = OneOfValidator.class)
public @interface OneOf {

    Class<? extends Enum<?>> value();

    /**
     * The wire values of {@link #value()} this field takes, in the order messages list them, where it takes only some
     * (the API does not offer every constant); empty for all of them.
     */
    String[] only() default {};

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
