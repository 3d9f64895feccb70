package io.dicomspanner.gateway.console;

import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.error.FieldProblem;
import io.dicomspanner.gateway.error.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What the administration pages' forms share: only admin keys may use them, their changes are made by the signed-in
 * key (as {@link Actor}), and a form is checked by the API's own rules (the bean validation of the API's request
 * records, then the services' checks), each problem named by the form field it belongs to so the page shows it beside
 * that field.
 */
@Component
class ConsoleAdminForms {

    /** The key of a problem that belongs to a whole form rather than one field. */
    static final String FORM = "form";

    private final Validator validator;

    ConsoleAdminForms(Validator validator) {
        this.validator = validator;
    }

    /** The signed-in user when its key is an admin key. */
    static Optional<ConsoleUser> admin(HttpServletRequest request) {
        ConsoleUser user = ConsoleSessions.signedIn(request);
        return user.isAdmin() ? Optional.of(user) : Optional.empty();
    }

    static Actor actor(ConsoleUser user, HttpServletRequest request) {
        return Actor.apiKey(user.keyId(), user.keyName(), request.getRemoteAddr());
    }

    /** The request's bean-validation problems, by form field (the record's property path); empty when it is valid. */
    Map<String, String> violations(Object apiRequest) {
        Map<String, String> problems = new LinkedHashMap<>();
        for (ConstraintViolation<Object> violation : validator.validate(apiRequest)) {
            String path = violation.getPropertyPath().toString();
            int index = path.indexOf('[');
            problems.putIfAbsent(index < 0 ? path : path.substring(0, index), violation.getMessage());
        }
        return problems;
    }

    /** A service's problems by form field: its JSON names ({@code minimum_success_threshold[0]}) in camel case. */
    static Map<String, String> problems(InvalidRequestException e) {
        Map<String, String> problems = new LinkedHashMap<>();
        for (FieldProblem problem : e.problems()) {
            problems.putIfAbsent(formField(problem.field()), problem.message());
        }
        return problems;
    }

    static String formField(String jsonName) {
        int index = jsonName.indexOf('[');
        String name = index < 0 ? jsonName : jsonName.substring(0, index);
        StringBuilder field = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                field.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return field.toString();
    }

    /**
     * A whole number typed into {@code field}; empty input is {@code null}. Anything else adds a problem.
     */
    static Integer number(String field, String typed, Map<String, String> problems) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(typed.strip());
        } catch (NumberFormatException e) {
            problems.put(field, "must be a whole number");
            return null;
        }
    }
}
