package io.dicomspanner.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.dicomspanner.dicom.net.TlsProfile;
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
                    "spanner.worker.max-concurrent-tasks=64",
                    "spanner.worker.batch-size=100",
                    "spanner.worker.study-fanout-concurrency=4");

    @EnableConfigurationProperties(WorkerProperties.class)
    static class Binding {}

    @Test
    void validSettingsBindAndNoSourceListMeansEverySource() {
        runner.run(context -> {
            WorkerProperties properties = context.getBean(WorkerProperties.class);
            assertThat(properties.associationLease()).isEqualTo(WorkerProperties.AssociationLease.DEFAULTS);
            assertThat(properties.sources()).isEmpty();
        });
    }

    @Test
    void aCountBelowOneStopsTheStartNamingTheSettingTheValueAndTheRule() {
        runner.withPropertyValues("spanner.worker.max-concurrent-tasks=0")
                .run(context -> assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                        .isInstanceOfSatisfying(
                                BindValidationException.class,
                                failure -> assertThat(
                                                failure.getValidationErrors().getAllErrors())
                                        .extracting("objectName", "field", "rejectedValue", "defaultMessage")
                                        .containsExactly(tuple(
                                                "spanner.worker",
                                                "maxConcurrentTasks",
                                                0,
                                                "must be greater than or equal to 1"))));
    }

    @Test
    void tlsTowardsSourcesDefaultsToTheDicomClientBundleAndTheNonDowngradingProfile() {
        runner.run(context -> {
            WorkerProperties.Tls tls = context.getBean(WorkerProperties.class).tls();
            assertThat(tls.bundle()).isEqualTo("dicom-client");
            assertThat(tls.profile()).isEqualTo(TlsProfile.BCP195_NON_DOWNGRADING);
        });
    }

    @Test
    void anUnknownTlsProfileStopsTheStartNamingTheSetting() {
        runner.withPropertyValues("spanner.worker.tls.profile=TLS_1_0")
                .run(context -> assertThat(context.getStartupFailure())
                        .hasStackTraceContaining("Failed to bind properties under 'spanner.worker.tls.profile'"));
    }

    @Test
    void aBlankTlsBundleNameStopsTheStart() {
        runner.withPropertyValues("spanner.worker.tls.bundle= ")
                .run(context -> assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                        .isInstanceOfSatisfying(
                                BindValidationException.class,
                                failure -> assertThat(
                                                failure.getValidationErrors().getAllErrors())
                                        .extracting("field", "defaultMessage")
                                        .containsExactly(tuple("tls.bundle", "must not be blank"))));
    }
}
