package io.dicomspanner.worker.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.circuit.CircuitBreaker.Admission;
import io.dicomspanner.worker.circuit.CircuitBreakerWithoutRedisTest.StepClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Two workers' breakers sharing the local Redis: what one counts the other sees, and a healthy source costs no write.
 */
class CircuitBreakerSharedTest {

    LettuceConnectionFactory factory;
    StringRedisTemplate redis;
    StepClock clock = new StepClock();
    CircuitBreaker workerA;
    CircuitBreaker workerB;
    /** A source id of this run alone, so runs sharing the Redis do not see each other's state. */
    long source = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE);

    @BeforeEach
    void twoWorkers() {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        factory.afterPropertiesSet();
        factory.start();
        redis = new StringRedisTemplate(factory);
        WorkerProperties properties = CircuitBreakerWithoutRedisTest.thresholdTwoCoolDown30s();
        workerA = new CircuitBreaker(redis, properties, clock);
        workerB = new CircuitBreaker(redis, properties, clock);
    }

    @AfterEach
    void cleanUp() {
        redis.delete(List.of(key(), key() + ":trial"));
        factory.destroy();
    }

    String key() {
        return RedisKeys.sourceCircuit(source);
    }

    Map<Object, Object> shared() {
        return redis.opsForHash().entries(key());
    }

    @Test
    void answersOfAHealthySourceWriteNothing() {
        for (int i = 0; i < 3; i++) {
            assertThat(workerA.admit(source)).isEqualTo(Admission.CLOSED);
            workerA.onAnswer(source);
        }

        assertThat(redis.hasKey(key())).isFalse();
        assertThat(redis.hasKey(key() + ":trial")).isFalse();
    }

    @Test
    void aFailureCountedByOneWorkerIsResetByTheOthersNextAnswerAfterItsLookUpSawIt() {
        workerB.onConnectionFailure(source);
        assertThat(shared()).containsEntry("failures", "1");

        assertThat(workerA.admit(source)).isEqualTo(Admission.CLOSED);
        workerA.onAnswer(source);

        assertThat(redis.hasKey(key())).isFalse();
        workerB.onConnectionFailure(source);
        assertThat(workerA.admit(source))
                .as("one failure after the reset: below the threshold of 2")
                .isEqualTo(Admission.CLOSED);
    }

    @Test
    void aFailureCountedWhileAnotherWorkersFindRanIsResetByTheNextAnswer() {
        assertThat(workerA.admit(source)).isEqualTo(Admission.CLOSED);
        workerB.onConnectionFailure(source);
        workerA.onAnswer(source);

        assertThat(shared()).as("A's look-up saw nothing to reset").containsEntry("failures", "1");

        assertThat(workerA.admit(source)).isEqualTo(Admission.CLOSED);
        workerA.onAnswer(source);
        assertThat(redis.hasKey(key())).isFalse();
    }

    @Test
    void theThresholdReachedOnOneWorkerOpensTheCircuitForBothAndOneTrialClosesIt() {
        workerB.onConnectionFailure(source);
        workerB.onConnectionFailure(source);

        assertThat(workerA.admit(source)).isEqualTo(Admission.OPEN);
        assertThat(Long.parseLong(shared().get("openUntil").toString())).isEqualTo(clock.millis() + 30_000);

        clock.now = clock.now.plusSeconds(30);
        assertThat(workerA.admit(source)).isEqualTo(Admission.TRIAL);
        assertThat(workerB.admit(source)).as("one trial in the fleet").isEqualTo(Admission.OPEN);

        workerA.onAnswer(source);

        assertThat(redis.hasKey(key())).isFalse();
        assertThat(redis.hasKey(key() + ":trial")).isFalse();
        assertThat(workerB.admit(source)).isEqualTo(Admission.CLOSED);
    }
}
