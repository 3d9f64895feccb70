package io.dicomspanner.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.validation.FieldError;

/** The worker's settings are checked when they are bound: a broken rule stops the start and says which. */
class WorkerPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Binding.class)
            .withPropertyValues(
                    "spanner.worker.fleet-size=1",
                    "spanner.worker.max-concurrent-tasks=64",
                    "spanner.worker.batch-size=100",
                    "spanner.worker.study-fanout-concurrency=4");

    @EnableConfigurationProperties(WorkerProperties.class)
    static class Binding {}

    @Test
    void validSettingsBindAndNoSourceListMeansEverySource() {
        runner.run(context -> {
            WorkerProperties properties = context.getBean(WorkerProperties.class);
            assertThat(properties.fleetSize()).isEqualTo(1);
            assertThat(properties.sources()).isEmpty();
        });
    }

    @Test
    void aCountBelowOneStopsTheStartNamingTheSettingTheValueAndTheRule() {
        runner.withPropertyValues("spanner.worker.fleet-size=0").run(context -> {
            Throwable cause = context.getStartupFailure();
            while (cause != null && !(cause instanceof BindValidationException)) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(BindValidationException.class);
            var errors = ((BindValidationException) cause).getValidationErrors().getAllErrors();
            assertThat(errors).hasSize(1);
            FieldError error = (FieldError) errors.get(0);
            assertThat(error.getObjectName()).isEqualTo("spanner.worker");
            assertThat(error.getField()).isEqualTo("fleetSize");
            assertThat(error.getRejectedValue()).isEqualTo(0);
            assertThat(error.getDefaultMessage()).isEqualTo("must be greater than or equal to 1");
        });
    }
}
