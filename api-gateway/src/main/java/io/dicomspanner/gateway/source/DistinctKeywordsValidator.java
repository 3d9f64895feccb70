package io.dicomspanner.gateway.source;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

public class DistinctKeywordsValidator implements ConstraintValidator<DistinctKeywords, List<String>> {

    @Override
    public boolean isValid(List<String> values, ConstraintValidatorContext context) {
        if (values == null) {
            return true;
        }
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null) {
                continue;
            }
            // An unknown keyword is refused on its own; here it only counts as written.
            String keyword = MatchingKeywords.canonical(value).orElse(value);
            if (!seen.add(keyword)) {
                repeated.add(keyword);
            }
        }
        if (repeated.isEmpty()) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(
                        MatchingKeywords.literalTemplate("names " + String.join(", ", repeated) + " more than once"))
                .addConstraintViolation();
        return false;
    }
}
