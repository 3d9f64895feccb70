package io.dicomspanner.worker.find;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The fleet-wide association limit against the local Redis: leases up to the source's maximum and not one more, a
 * dead holder's lease expires, a released one is free at once, and "workers" (limits) sharing Redis wait for each
 * other's leases instead of exceeding the maximum.
 */
class FleetAssociationLimitTest {

    LettuceConnectionFactory factory;
    StringRedisTemplate redis;
    AssociationLeases leases;
    /** A source id of this run alone, so runs sharing the Redis do not see each other's leases. */
    long source = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE);

    final List<FleetAssociationLimit> limits = new ArrayList<>();

    @BeforeEach
    void redis() {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        factory.afterPropertiesSet();
        factory.start();
        redis = new StringRedisTemplate(factory);
        leases = new AssociationLeases(redis);
    }

    @AfterEach
    void cleanUp() {
        limits.forEach(FleetAssociationLimit::close);
        redis.delete(RedisKeys.sourceAssociations(source));
        factory.destroy();
    }

    static WorkerProperties withLease(WorkerProperties.AssociationLease lease) {
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
                null,
                null,
                lease,
                null);
    }

    FleetAssociationLimit worker(StringRedisTemplate template, WorkerProperties.AssociationLease lease) {
        FleetAssociationLimit l = new FleetAssociationLimit(
                template,
                withLease(lease),
                new WorkerMetrics(new SimpleMeterRegistry(), withLease(lease)),
                Clock.systemUTC());
        limits.add(l);
        return l;
    }

    SourceEndpoint endpoint(int maxAssociations) {
        return new SourceEndpoint(
                source,
                "PACS",
                "PACS",
                "127.0.0.1",
                104,
                "SPANNER",
                false,
                null,
                maxAssociations,
                30,
                List.of(),
                false,
                List.of());
    }

    static long in(Duration d) {
        return System.currentTimeMillis() + d.toMillis();
    }

    @Test
    void leasesAreGrantedUpToTheMaximumAndRefusedPastIt() {
        Duration ttl = Duration.ofSeconds(30);
        assertThat(leases.tryAcquire(source, "a", 2, ttl)).isTrue();
        assertThat(leases.tryAcquire(source, "b", 2, ttl)).isTrue();
        assertThat(leases.tryAcquire(source, "c", 2, ttl)).isFalse();
        assertThat(leases.leased(source)).isEqualTo(2);
    }

    @Test
    void aReleasedLeaseIsFreeAtOnce() {
        Duration ttl = Duration.ofSeconds(30);
        assertThat(leases.tryAcquire(source, "a", 1, ttl)).isTrue();
        assertThat(leases.tryAcquire(source, "b", 1, ttl)).isFalse();
        leases.release(source, "a");
        assertThat(leases.tryAcquire(source, "b", 1, ttl)).isTrue();
        assertThat(leases.leased(source)).isEqualTo(1);
    }

    @Test
    void theLeaseOfAHolderThatStoppedRenewingExpiresAfterItsTtl() throws Exception {
        Duration ttl = Duration.ofMillis(300);
        assertThat(leases.tryAcquire(source, "dead-worker", 1, ttl)).isTrue();
        assertThat(leases.tryAcquire(source, "b", 1, ttl)).isFalse();
        Thread.sleep(400);
        assertThat(leases.renew(source, "dead-worker", ttl))
                .as("renewed after expiry")
                .isFalse();
        assertThat(leases.tryAcquire(source, "b", 1, ttl)).isTrue();
        assertThat(leases.leased(source)).isEqualTo(1);
    }

    @Test
    void aRenewedLeaseOutlivesItsFirstTtl() throws Exception {
        Duration ttl = Duration.ofMillis(400);
        assertThat(leases.tryAcquire(source, "a", 1, ttl)).isTrue();
        for (int i = 0; i < 4; i++) {
            Thread.sleep(200);
            assertThat(leases.renew(source, "a", ttl)).isTrue();
        }
        assertThat(leases.tryAcquire(source, "b", 1, ttl)).isFalse();
    }

    @Test
    void threeWorkersTogetherHoldNoMoreThanTheMaximumAndTheRestWaitInsteadOfFailing() throws Exception {
        WorkerProperties.AssociationLease lease = new WorkerProperties.AssociationLease(
                Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofMillis(20), 0);
        List<FleetAssociationLimit> fleet = List.of(worker(redis, lease), worker(redis, lease), worker(redis, lease));
        List<CompletableFuture<FleetAssociationLimit.Permit>> permits = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            permits.add(fleet.get(i % 3).acquire(endpoint(4), in(Duration.ofSeconds(20))));
        }
        Thread.sleep(300);

        assertThat(permits.stream().filter(CompletableFuture::isDone).count()).isEqualTo(4);
        assertThat(leases.leased(source)).isEqualTo(4);
        assertThat(fleet.stream().mapToInt(l -> l.waiting(source)).sum()).isEqualTo(5);

        // every permit given back lets exactly one waiter in, on whichever worker
        for (int round = 0; round < 5; round++) {
            FleetAssociationLimit.Permit held = permits.stream()
                    .filter(CompletableFuture::isDone)
                    .map(CompletableFuture::join)
                    .findFirst()
                    .orElseThrow();
            permits.removeIf(f -> f.isDone() && f.join() == held);
            held.release();
            long done = 0;
            for (int i = 0; i < 50 && done < 4; i++) {
                Thread.sleep(20);
                done = permits.stream().filter(CompletableFuture::isDone).count();
            }
            assertThat(done).as("permits held after release %d", round + 1).isEqualTo(4);
            assertThat(leases.leased(source)).isEqualTo(4);
        }
        assertThat(fleet.stream().mapToInt(l -> l.waiting(source)).sum()).isZero();
    }

    @Test
    void aWaiterWhoseDeadlinePassesFailsAsATimeoutNamingTheWait() throws Exception {
        FleetAssociationLimit limit = worker(redis, WorkerProperties.AssociationLease.DEFAULTS);
        FleetAssociationLimit.Permit held =
                limit.acquire(endpoint(1), in(Duration.ofSeconds(20))).get(5, TimeUnit.SECONDS);

        CompletableFuture<FleetAssociationLimit.Permit> late = limit.acquire(endpoint(1), in(Duration.ofMillis(300)));

        assertThat(late)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(CFindFailedException.class, e -> {
                    assertThat(e.outcome()).isEqualTo(SourceOutcome.TIMEOUT);
                    assertThat(e.getMessage())
                            .startsWith("the deadline passed while waiting ")
                            .endsWith(" ms for a free association: all 1 of the source's associations were in use"
                                    + " across the worker fleet");
                });
        assertThat(limit.waiting(source)).isZero();
        held.release();
    }

    @Test
    void withoutRedisAC_FindFailsAtOnceInsteadOfExceedingTheLimit() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        LettuceConnectionFactory nowhere = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", closedPort),
                LettuceClientConfiguration.builder()
                        .commandTimeout(Duration.ofMillis(300))
                        .build());
        nowhere.afterPropertiesSet();
        nowhere.start();
        try {
            FleetAssociationLimit limit =
                    worker(new StringRedisTemplate(nowhere), WorkerProperties.AssociationLease.DEFAULTS);
            long started = System.nanoTime();
            CompletableFuture<FleetAssociationLimit.Permit> f = limit.acquire(endpoint(4), in(Duration.ofSeconds(30)));
            assertThat(f)
                    .failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(CFindFailedException.class, e -> {
                        assertThat(e.outcome()).isEqualTo(SourceOutcome.CONNECTION_FAILED);
                        assertThat(e.getMessage())
                                .isEqualTo("the fleet-wide association limit of the source cannot be checked"
                                        + " (Redis unreachable); no association opened");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        } finally {
            nowhere.destroy();
        }
    }

    @Test
    void withoutRedisAndAFallbackOfOneEachWorkerOpensOneAssociationWithoutALease() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        LettuceConnectionFactory nowhere = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", closedPort),
                LettuceClientConfiguration.builder()
                        .commandTimeout(Duration.ofMillis(300))
                        .build());
        nowhere.afterPropertiesSet();
        nowhere.start();
        try {
            FleetAssociationLimit limit = worker(
                    new StringRedisTemplate(nowhere),
                    new WorkerProperties.AssociationLease(
                            Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofMillis(50), 1));
            FleetAssociationLimit.Permit first =
                    limit.acquire(endpoint(4), in(Duration.ofSeconds(30))).get(10, TimeUnit.SECONDS);
            CompletableFuture<FleetAssociationLimit.Permit> second =
                    limit.acquire(endpoint(4), in(Duration.ofSeconds(30)));
            Thread.sleep(1500);

            assertThat(first.isFallback()).isTrue();
            assertThat(second)
                    .as("second waits for the one fallback association")
                    .isNotDone();
            first.release();
            assertThat(second.get(10, TimeUnit.SECONDS).isFallback()).isTrue();
        } finally {
            nowhere.destroy();
        }
    }
}
