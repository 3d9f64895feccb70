package io.dicomspanner.gateway.source;

import io.dicomspanner.gateway.error.FieldProblem;
import io.dicomspanner.gateway.error.InvalidRequestException;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The fields of a source request that depend on its protocol are right ({@link DicomSourceRequest#checkProtocolFields}):
 * reported with the other invalid fields of the request, each under its own name.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ProtocolFields.Validator.class)
public @interface ProtocolFields {

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ProtocolFields, DicomSourceRequest> {
        @Override
        public boolean isValid(DicomSourceRequest request, ConstraintValidatorContext context) {
            if (request == null) {
                return true;
            }
            InvalidRequestException.Collector problems = new InvalidRequestException.Collector();
            request.checkProtocolFields(problems);
            if (problems.isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            for (FieldProblem problem : problems.problems()) {
                context.buildConstraintViolationWithTemplate(literal(problem.message()))
                        .addPropertyNode(problem.field())
                        .addConstraintViolation();
            }
            return false;
        }

        /** The message as a template that interpolates nothing. */
        private static String literal(String message) {
            return message.replace("\\", "\\\\")
                    .replace("{", "\\{")
                    .replace("}", "\\}")
                    .replace("$", "\\$");
        }
    }
}
