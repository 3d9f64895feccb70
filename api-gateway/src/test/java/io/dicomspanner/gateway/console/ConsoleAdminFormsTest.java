package io.dicomspanner.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.error.FieldProblem;
import io.dicomspanner.gateway.error.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleAdminFormsTest {

    @Test
    void aServicesProblemsAreNamedByTheFormFieldsTheyBelongTo() {
        InvalidRequestException refused = new InvalidRequestException(List.of(
                new FieldProblem("minimum_success_threshold", "is required when failure_strategy is minimum_threshold"),
                new FieldProblem("allowed_config_ids[1]", "names no spanner config"),
                new FieldProblem("allowed_config_ids[2]", "names no spanner config")));

        assertThat(ConsoleAdminForms.problems(refused))
                .containsExactly(
                        Map.entry("minimumSuccessThreshold", "is required when failure_strategy is minimum_threshold"),
                        Map.entry("allowedConfigIds", "names no spanner config"));
    }

    @Test
    void aTypedNumberIsANumberEmptyIsNoneAndAnythingElseAProblem() {
        Map<String, String> problems = new LinkedHashMap<>();

        assertThat(ConsoleAdminForms.number("priority", " 12 ", problems)).isEqualTo(12);
        assertThat(ConsoleAdminForms.number("timeoutOverride", "", problems)).isNull();
        assertThat(ConsoleAdminForms.number("priority", "1.5", problems)).isNull();
        assertThat(problems).containsExactly(Map.entry("priority", "must be a whole number"));
    }
}
