package io.dicomspanner.worker.find;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
        redis.delete(List.of(RedisKeys.sourceAssociations(source), RedisKeys.sourceAssociationWorkers(source)));
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
                Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofMillis(20), null);
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
                    assertThat(e.saysNothingAboutSource())
                            .as("the PACS was not asked: its circuit must not count this")
                            .isTrue();
                    assertThat(e.isRetryable()).isFalse();
                });
        assertThat(limit.waiting(source)).isZero();
        held.release();
    }

    static LettuceConnectionFactory redisAt(int port) {
        LettuceConnectionFactory f = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", port),
                LettuceClientConfiguration.builder()
                        .commandTimeout(Duration.ofMillis(300))
                        .build());
        f.afterPropertiesSet();
        f.start();
        return f;
    }

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static final WorkerProperties.AssociationLease REFUSE = new WorkerProperties.AssociationLease(
            Duration.ofSeconds(15),
            Duration.ofSeconds(5),
            Duration.ofMillis(50),
            WorkerProperties.AssociationLease.WhenRedisUnavailable.REFUSE);

    @Test
    void withoutRedisAndRefuseAC_FindFailsAtOnceInsteadOfExceedingTheLimit() throws Exception {
        LettuceConnectionFactory nowhere = redisAt(closedPort());
        try {
            FleetAssociationLimit limit = worker(new StringRedisTemplate(nowhere), REFUSE);
            assertRefusedAtOnce(limit.acquire(endpoint(4), in(Duration.ofSeconds(30))));
        } finally {
            nowhere.destroy();
        }
    }

    @Test
    void aWorkerThatNeverReachedRedisKnowsNoShareAndOpensNothing() throws Exception {
        LettuceConnectionFactory nowhere = redisAt(closedPort());
        try {
            FleetAssociationLimit limit =
                    worker(new StringRedisTemplate(nowhere), WorkerProperties.AssociationLease.DEFAULTS);
            assertRefusedAtOnce(limit.acquire(endpoint(4), in(Duration.ofSeconds(30))));
        } finally {
            nowhere.destroy();
        }
    }

    static void assertRefusedAtOnce(CompletableFuture<FleetAssociationLimit.Permit> f) {
        long started = System.nanoTime();
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
    }

    @Test
    void sharesAddUpToTheLimitWhateverTheWorkerCount() {
        for (int workers = 1; workers <= 7; workers++) {
            for (int max = 1; max <= 9; max++) {
                int sum = 0;
                for (int rank = 0; rank < workers; rank++) {
                    sum += new AssociationLeases.Workers(workers, rank).share(max);
                }
                assertThat(sum).as("%d workers, limit %d", workers, max).isEqualTo(max);
            }
        }
        assertThat(new AssociationLeases.Workers(3, 0).share(4)).isEqualTo(2);
        assertThat(new AssociationLeases.Workers(3, 1).share(4)).isEqualTo(1);
        assertThat(new AssociationLeases.Workers(3, 2).share(4)).isEqualTo(1);
        assertThat(new AssociationLeases.Workers(5, 4).share(4)).isZero();
    }

    @Test
    void whenRedisDiesTwoWorkersTogetherOpenNoMoreThanTheLimitEachWithinItsShare() throws Exception {
        Path dir = Files.createTempDirectory("lease-redis");
        int port = 21379;
        Process redisServer = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        LettuceConnectionFactory own = redisAt(port);
        try {
            StringRedisTemplate template = new StringRedisTemplate(own);
            long up = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    template.hasKey("up");
                    break;
                } catch (RuntimeException e) {
                    assertThat(System.nanoTime()).as("redis-server up").isLessThan(up);
                    Thread.sleep(50);
                }
            }
            WorkerProperties.AssociationLease lease = new WorkerProperties.AssociationLease(
                    Duration.ofSeconds(15),
                    Duration.ofMillis(200),
                    Duration.ofMillis(50),
                    WorkerProperties.AssociationLease.WhenRedisUnavailable.SHARE);
            List<FleetAssociationLimit> fleet = List.of(worker(template, lease), worker(template, lease));
            for (FleetAssociationLimit w : fleet) {
                w.acquire(endpoint(3), in(Duration.ofSeconds(10)))
                        .get(5, TimeUnit.SECONDS)
                        .release();
            }
            Thread.sleep(500); // both registered, each knows two workers serve the source

            redisServer.destroy();
            assertThat(redisServer.waitFor(10, TimeUnit.SECONDS)).isTrue();
            List<List<CompletableFuture<FleetAssociationLimit.Permit>>> asked = new ArrayList<>();
            for (FleetAssociationLimit w : fleet) {
                List<CompletableFuture<FleetAssociationLimit.Permit>> mine = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    mine.add(w.acquire(endpoint(3), in(Duration.ofSeconds(3))));
                }
                asked.add(mine);
            }
            Thread.sleep(4000);

            List<Long> granted = asked.stream()
                    .map(mine -> mine.stream()
                            .filter(f -> f.isDone() && !f.isCompletedExceptionally())
                            .count())
                    .sorted()
                    .toList();
            assertThat(granted)
                    .as("associations opened without leases, per worker")
                    .containsExactly(1L, 2L);
            assertThat(asked.stream()
                            .flatMap(List::stream)
                            .filter(f -> f.isDone() && !f.isCompletedExceptionally())
                            .allMatch(f -> f.join().isFallback()))
                    .isTrue();
        } finally {
            own.destroy();
            redisServer.destroy();
            redisServer.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
