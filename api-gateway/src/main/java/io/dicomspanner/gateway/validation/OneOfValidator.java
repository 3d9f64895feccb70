package io.dicomspanner.gateway.validation;

import io.dicomspanner.common.wire.WireEnum;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

public class OneOfValidator implements ConstraintValidator<OneOf, String> {

    private Set<String> accepted;
    private String message;

    @Override
    public void initialize(OneOf annotation) {
        Set<String> wires = new LinkedHashSet<>();
        for (Enum<?> constant : annotation.value().getEnumConstants()) {
            wires.add(WireEnum.wireOf(constant));
        }
        if (annotation.only().length > 0) {
            List<String> only = List.of(annotation.only());
            if (!wires.containsAll(only)) {
                throw new IllegalArgumentException("@OneOf("
                        + annotation.value().getSimpleName() + ") names " + only + ", not all of them among " + wires);
            }
            wires = new LinkedHashSet<>(only);
        }
        accepted = Set.copyOf(wires);
        message = "must be one of " + String.join(", ", wires);
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null || accepted.contains(value)) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(message).addConstraintViolation();
        return false;
    }
}
