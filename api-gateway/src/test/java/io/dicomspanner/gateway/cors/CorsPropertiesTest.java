package io.dicomspanner.gateway.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

/** The CORS settings are checked when they are bound: a dangerous or malformed one stops the start and says why. */
class CorsPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Binding.class)
            .withPropertyValues("spanner.cors.allowed-origins=", "spanner.cors.max-age=30m");

    @EnableConfigurationProperties(CorsProperties.class)
    static class Binding {}

    @Test
    void theDefaultsAllowNoOriginAndNoCredentials() {
        runner.run(context -> {
            CorsProperties cors = context.getBean(CorsProperties.class);
            assertThat(cors.allowedOrigins()).isEmpty();
            assertThat(cors.enabled()).isFalse();
            assertThat(cors.allowCredentials()).isFalse();
            assertThat(cors.maxAge()).isEqualTo(Duration.ofMinutes(30));
        });
    }

    @Test
    void originsAndCredentialsBind() {
        runner.withPropertyValues(
                        "spanner.cors.allowed-origins=https://viewer.example.org,http://localhost:3000",
                        "spanner.cors.allow-credentials=true")
                .run(context -> {
                    CorsProperties cors = context.getBean(CorsProperties.class);
                    assertThat(cors.allowedOrigins())
                            .isEqualTo(List.of("https://viewer.example.org", "http://localhost:3000"));
                    assertThat(cors.allowCredentials()).isTrue();
                });
    }

    @Test
    void anyOriginWithCredentialsStopsTheStartSayingWhy() {
        runner.withPropertyValues("spanner.cors.allowed-origins=*", "spanner.cors.allow-credentials=true")
                .run(context -> assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("spanner.cors.allowed-origins must name the origins, not '*', while"
                                + " spanner.cors.allow-credentials is true: any page on the web could otherwise call"
                                + " the gateway with its users' credentials"));
    }

    @Test
    void anyOriginWithoutCredentialsIsAllowed() {
        runner.withPropertyValues("spanner.cors.allowed-origins=*")
                .run(context -> assertThat(context.getBean(CorsProperties.class).allowedOrigins())
                        .containsExactly("*"));
    }

    @Test
    void anOriginWithAPathStopsTheStartNamingIt() {
        runner.withPropertyValues("spanner.cors.allowed-origins=https://viewer.example.org/app")
                .run(context -> assertThat(NestedExceptionUtils.getRootCause(context.getStartupFailure()))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("spanner.cors.allowed-origins: 'https://viewer.example.org/app' is"
                                + " not an origin; "));
    }
}
