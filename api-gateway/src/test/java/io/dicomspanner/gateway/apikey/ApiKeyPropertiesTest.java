package io.dicomspanner.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

/** The API key settings are checked when they are bound: a broken rule stops the start and says which. */
class ApiKeyPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Binding.class)
            .withPropertyValues(
                    "spanner.api-keys.bootstrap-key-min-length=32",
                    "spanner.api-keys.last-used-update-interval=60s",
                    "spanner.api-keys.verification-cache-ttl=5s",
                    "spanner.api-keys.trusted-while-database-unavailable=15m",
                    "spanner.api-keys.verification-cache-max-entries=10000",
                    "spanner.api-keys.default-queries-per-second=0",
                    "spanner.api-keys.default-queries-in-flight=0");

    @EnableConfigurationProperties(ApiKeyProperties.class)
    static class Binding {}

    @Test
    void validSettingsBind() {
        runner.run(context -> assertThat(context.getBean(ApiKeyProperties.class).verificationCacheTtl())
                .hasSeconds(5));
    }

    @Test
    void aNegativeDefaultLimitStopsTheStartNamingTheSetting() {
        runner.withPropertyValues("spanner.api-keys.default-queries-per-second=-1")
                .run(context -> assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                        .isInstanceOfSatisfying(
                                BindValidationException.class,
                                failure -> assertThat(
                                                failure.getValidationErrors().getAllErrors())
                                        .extracting("field", "rejectedValue")
                                        .containsExactly(tuple("defaultQueriesPerSecond", -1))));
    }

    @Test
    void withoutHowLongKeysAreTrustedWithoutTheDatabaseTheStartStopsNamingIt() {
        new ApplicationContextRunner()
                .withUserConfiguration(Binding.class)
                .withPropertyValues(
                        "spanner.api-keys.bootstrap-key-min-length=32",
                        "spanner.api-keys.last-used-update-interval=60s",
                        "spanner.api-keys.verification-cache-ttl=5s",
                        "spanner.api-keys.verification-cache-max-entries=10000",
                        "spanner.api-keys.default-queries-per-second=0",
                        "spanner.api-keys.default-queries-in-flight=0")
                .run(context -> assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                        .isInstanceOfSatisfying(
                                BindValidationException.class,
                                failure -> assertThat(
                                                failure.getValidationErrors().getAllErrors())
                                        .extracting("field")
                                        .containsExactly("trustedWhileDatabaseUnavailable")));
    }

    @Test
    void aNegativeDurationStopsTheStartNamingTheSettingTheValueAndTheRule() {
        runner.withPropertyValues("spanner.api-keys.verification-cache-ttl=-5s")
                .run(context -> assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                        .isInstanceOfSatisfying(
                                BindValidationException.class,
                                failure -> assertThat(
                                                failure.getValidationErrors().getAllErrors())
                                        .extracting("objectName", "field", "rejectedValue", "defaultMessage")
                                        .containsExactly(tuple(
                                                "spanner.api-keys",
                                                "verificationCacheTtl",
                                                Duration.ofSeconds(-5),
                                                "must not be negative"))));
    }
}
