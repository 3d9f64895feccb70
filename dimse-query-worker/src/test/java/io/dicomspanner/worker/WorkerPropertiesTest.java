package io.dicomspanner.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

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
        runner.withPropertyValues("spanner.worker.fleet-size=0")
                .run(context -> assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                        .isInstanceOfSatisfying(
                                BindValidationException.class,
                                failure -> assertThat(
                                                failure.getValidationErrors().getAllErrors())
                                        .extracting("objectName", "field", "rejectedValue", "defaultMessage")
                                        .containsExactly(tuple(
                                                "spanner.worker",
                                                "fleetSize",
                                                0,
                                                "must be greater than or equal to 1"))));
    }
}
