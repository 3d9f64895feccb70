package io.dicomspanner.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.validation.FieldError;

/** The coordinator's settings are checked when they are bound: a broken rule stops the start and says which. */
class CoordinatorPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Binding.class)
            .withPropertyValues(
                    "spanner.coordinator.instance-id=coordinator-1",
                    "spanner.coordinator.requests-queue-max-length=10000",
                    "spanner.coordinator.request-concurrency=4",
                    "spanner.coordinator.max-results=10000",
                    "spanner.coordinator.status-progress-interval=250ms",
                    "spanner.coordinator.timer-threads=2");

    @EnableConfigurationProperties(CoordinatorProperties.class)
    static class Binding {}

    @Test
    void validSettingsBind() {
        runner.run(context -> assertThat(
                        context.getBean(CoordinatorProperties.class).maxResults())
                .isEqualTo(10_000));
    }

    @Test
    void aCountBelowOneStopsTheStartNamingTheSettingTheValueAndTheRule() {
        runner.withPropertyValues("spanner.coordinator.max-results=0")
                .run(context -> assertThat(errors(context.getStartupFailure()))
                        .containsExactly(
                                tuple("spanner.coordinator", "maxResults", 0, "must be greater than or equal to 1")));
    }

    @Test
    void aNegativeStatusProgressIntervalStopsTheStart() {
        runner.withPropertyValues("spanner.coordinator.status-progress-interval=-1s")
                .run(context -> assertThat(errors(context.getStartupFailure()))
                        .containsExactly(tuple(
                                "spanner.coordinator",
                                "statusProgressInterval",
                                Duration.ofSeconds(-1),
                                "must not be negative")));
    }

    @Test
    void anEmptyInstanceIdStopsTheStart() {
        runner.withPropertyValues("spanner.coordinator.instance-id=")
                .run(context -> assertThat(errors(context.getStartupFailure()))
                        .containsExactly(tuple("spanner.coordinator", "instanceId", "", "must not be blank")));
    }

    /** Each broken rule as (settings prefix, record component, value given, rule). */
    private static List<Tuple> errors(Throwable startupFailure) {
        assertThat(NestedExceptionUtils.getRootCause(startupFailure)).isInstanceOf(BindValidationException.class);
        return ((BindValidationException) NestedExceptionUtils.getRootCause(startupFailure))
                .getValidationErrors().getAllErrors().stream()
                        .map(error -> tuple(
                                error.getObjectName(),
                                ((FieldError) error).getField(),
                                ((FieldError) error).getRejectedValue(),
                                error.getDefaultMessage()))
                        .toList();
    }
}
