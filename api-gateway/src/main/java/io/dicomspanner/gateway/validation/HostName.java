package io.dicomspanner.gateway.validation;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A DNS host name (RFC 1123), an IPv4 address or an IPv6 address; {@code null} passes. Nothing is resolved. */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = HostNameValidator.class)
public @interface HostName {

    String message() default "must be a host name or an IP address";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
