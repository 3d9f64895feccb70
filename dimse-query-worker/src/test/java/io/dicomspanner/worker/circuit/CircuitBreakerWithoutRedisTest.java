package io.dicomspanner.worker.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.circuit.CircuitBreaker.Admission;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * With Redis unreachable (a real client against a port where nothing listens) the breaker runs the same rules on the
 * worker's own state: open after the threshold, one trial after the cool-down, closed by an answer.
 */
class CircuitBreakerWithoutRedisTest {

    /** A clock the test moves. */
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Worker settings whose circuit opens after 2 failures for 30 s; the rest does not matter to the breaker. */
    static WorkerProperties thresholdTwoCoolDown30s() {
        return new WorkerProperties(
                List.of(),
                Duration.ofSeconds(10),
                1,
                1,
                Duration.ofSeconds(1),
                Duration.ofMillis(10),
                Duration.ofMillis(10),
                1,
                true,
                200,
                null,
                new WorkerProperties.Circuit(2, Duration.ofSeconds(30)),
                null,
                null,
                null);
    }

    LettuceConnectionFactory nowhere;
    StepClock clock = new StepClock();
    CircuitBreaker circuit;

    @BeforeEach
    void redisThatIsNotThere() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        nowhere = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", closedPort),
                LettuceClientConfiguration.builder()
                        .commandTimeout(Duration.ofMillis(200))
                        .build());
        nowhere.afterPropertiesSet();
        nowhere.start();
        circuit = new CircuitBreaker(new StringRedisTemplate(nowhere), thresholdTwoCoolDown30s(), clock);
    }

    @AfterEach
    void close() {
        nowhere.destroy();
    }

    @Test
    void opensAfterTheThresholdLetsOneTrialThroughAfterTheCoolDownAndClosesOnAnAnswer() {
        long source = 1;
        assertThat(circuit.admit(source)).isEqualTo(Admission.CLOSED);
        circuit.onConnectionFailure(source);
        assertThat(circuit.admit(source)).isEqualTo(Admission.CLOSED);
        circuit.onConnectionFailure(source);
        assertThat(circuit.admit(source)).isEqualTo(Admission.OPEN);

        clock.now = clock.now.plusSeconds(29);
        assertThat(circuit.admit(source)).isEqualTo(Admission.OPEN);
        clock.now = clock.now.plusSeconds(1);
        assertThat(circuit.admit(source)).isEqualTo(Admission.TRIAL);
        assertThat(circuit.admit(source)).as("one trial at a time").isEqualTo(Admission.OPEN);

        circuit.onAnswer(source);
        assertThat(circuit.admit(source)).isEqualTo(Admission.CLOSED);
    }

    @Test
    void aFailedTrialOpensTheCircuitForAnotherCoolDown() {
        long source = 2;
        circuit.onConnectionFailure(source);
        circuit.onConnectionFailure(source);
        clock.now = clock.now.plusSeconds(30);
        assertThat(circuit.admit(source)).isEqualTo(Admission.TRIAL);

        circuit.onConnectionFailure(source);

        assertThat(circuit.admit(source)).isEqualTo(Admission.OPEN);
        clock.now = clock.now.plusSeconds(30);
        assertThat(circuit.admit(source)).isEqualTo(Admission.TRIAL);
    }
}
