package io.dicomspanner.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.validation.FieldError;

/** The API key settings are checked when they are bound: a broken rule stops the start and says which. */
class ApiKeyPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Binding.class)
            .withPropertyValues(
                    "spanner.api-keys.bootstrap-key-min-length=32",
                    "spanner.api-keys.last-used-update-interval=60s",
                    "spanner.api-keys.verification-cache-ttl=5s",
                    "spanner.api-keys.verification-cache-max-entries=10000");

    @EnableConfigurationProperties(ApiKeyProperties.class)
    static class Binding {}

    @Test
    void validSettingsBind() {
        runner.run(context -> assertThat(context.getBean(ApiKeyProperties.class).verificationCacheTtl())
                .hasSeconds(5));
    }

    @Test
    void aNegativeDurationStopsTheStartNamingTheSettingTheValueAndTheRule() {
        runner.withPropertyValues("spanner.api-keys.verification-cache-ttl=-5s").run(context -> {
            Throwable cause = context.getStartupFailure();
            while (cause != null && !(cause instanceof BindValidationException)) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(BindValidationException.class);
            var errors = ((BindValidationException) cause).getValidationErrors().getAllErrors();
            assertThat(errors).hasSize(1);
            FieldError error = (FieldError) errors.get(0);
            assertThat(error.getObjectName()).isEqualTo("spanner.api-keys");
            assertThat(error.getField()).isEqualTo("verificationCacheTtl");
            assertThat(error.getRejectedValue()).hasToString("PT-5S");
            assertThat(error.getDefaultMessage()).isEqualTo("must not be negative");
        });
    }
}
