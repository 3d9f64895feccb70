package io.dicomspanner.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
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
        runner.withPropertyValues("spanner.coordinator.max-results=0").run(context -> {
            FieldError error = theOnlyError(context.getStartupFailure());
            assertThat(error.getObjectName()).isEqualTo("spanner.coordinator");
            assertThat(error.getField()).isEqualTo("maxResults");
            assertThat(error.getRejectedValue()).isEqualTo(0);
            assertThat(error.getDefaultMessage()).isEqualTo("must be greater than or equal to 1");
        });
    }

    @Test
    void aNegativeStatusProgressIntervalStopsTheStart() {
        runner.withPropertyValues("spanner.coordinator.status-progress-interval=-1s")
                .run(context -> {
                    FieldError error = theOnlyError(context.getStartupFailure());
                    assertThat(error.getField()).isEqualTo("statusProgressInterval");
                    assertThat(error.getRejectedValue()).hasToString("PT-1S");
                    assertThat(error.getDefaultMessage()).isEqualTo("must not be negative");
                });
    }

    @Test
    void anEmptyInstanceIdStopsTheStart() {
        runner.withPropertyValues("spanner.coordinator.instance-id= ").run(context -> {
            FieldError error = theOnlyError(context.getStartupFailure());
            assertThat(error.getField()).isEqualTo("instanceId");
            assertThat(error.getDefaultMessage()).isEqualTo("must not be blank");
        });
    }

    private static FieldError theOnlyError(Throwable startupFailure) {
        Throwable cause = startupFailure;
        while (cause != null && !(cause instanceof BindValidationException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("startup failure %s", startupFailure).isInstanceOf(BindValidationException.class);
        var errors = ((BindValidationException) cause).getValidationErrors().getAllErrors();
        assertThat(errors).hasSize(1);
        return (FieldError) errors.get(0);
    }
}
