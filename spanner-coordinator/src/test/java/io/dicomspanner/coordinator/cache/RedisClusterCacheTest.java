package io.dicomspanner.coordinator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.config.DeduplicationStrategy;
import io.dicomspanner.common.config.FailureStrategy;
import io.dicomspanner.common.config.MergePolicy;
import io.dicomspanner.common.config.SpanningSettings;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.coordinator.CoordinatorProperties;
import io.dicomspanner.coordinator.config.SpanningConfig;
import io.dicomspanner.coordinator.metrics.CoordinatorMetrics;
import io.dicomspanner.coordinator.testing.TestSealing;
import io.dicomspanner.testing.RedisCluster;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The result cache and the coalescing of identical queries on a Redis Cluster of 3 masters and 3 replicas: two
 * coordinators, each with its own cluster connection seeded with a different node, share cached answers, and one
 * waits for the other's answer announced on the done channel, whichever node either is subscribed on or publishes
 * through.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterCacheTest {

    private static final int BASE_PORT = 27000;

    private static RedisCluster cluster;
    private static Coordinator first;
    private static Coordinator second;

    /** The Redis side of one coordinator, wired as the application wires it. */
    record Coordinator(
            LettuceConnectionFactory connections,
            StringRedisTemplate redis,
            ResultCache cache,
            RedisMessageListenerContainer listeners,
            InFlightQueries inFlight,
            SafeRedis safe) {

        static Coordinator on(RedisCluster cluster, int seedPort) throws InterruptedException {
            LettuceConnectionFactory connections = clusterConnections(cluster, seedPort);
            StringRedisTemplate redis = new StringRedisTemplate(connections);
            CoordinatorMetrics metrics = new CoordinatorMetrics(new SimpleMeterRegistry());
            SafeRedis safe = new SafeRedis(redis, metrics);
            ResultCache cache = new ResultCache(safe, TestSealing.codec(), metrics);
            RedisMessageListenerContainer listeners = new RedisMessageListenerContainer();
            listeners.setConnectionFactory(connections);
            listeners.afterPropertiesSet();
            InFlightQueries inFlight = new InFlightQueries(safe, cache, properties(), listeners);
            listeners.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!listeners.isListening() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(listeners.isListening()).as("subscribed").isTrue();
            return new Coordinator(connections, redis, cache, listeners, inFlight, safe);
        }

        void stop() {
            listeners.stop();
            connections.destroy();
        }
    }

    /**
     * A Lettuce cluster connection factory as Spring Boot makes it from {@code spring.data.redis.cluster.nodes},
     * username and password, with adaptive and periodic topology refresh.
     */
    static LettuceConnectionFactory clusterConnections(RedisCluster cluster, int seedPort) {
        RedisClusterConfiguration nodes = new RedisClusterConfiguration(List.of("127.0.0.1:" + seedPort));
        nodes.setUsername(RedisCluster.USER);
        nodes.setPassword(cluster.password());
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(Duration.ofSeconds(2))
                .clientOptions(ClusterClientOptions.builder()
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers()
                                .enablePeriodicRefresh(Duration.ofSeconds(5))
                                .build())
                        .build())
                .build();
        LettuceConnectionFactory connections = new LettuceConnectionFactory(nodes, client);
        connections.afterPropertiesSet();
        connections.start();
        return connections;
    }

    static CoordinatorProperties properties() {
        return new CoordinatorProperties(
                "cluster-test",
                "spanner.requests",
                1000,
                1,
                1000,
                Duration.ofSeconds(1),
                Duration.ofHours(1),
                Duration.ZERO,
                Duration.ofHours(1),
                Duration.ofSeconds(20),
                null,
                1,
                Duration.ofSeconds(5));
    }

    @BeforeAll
    static void startCluster() throws InterruptedException {
        cluster = RedisCluster.start(
                BASE_PORT, Path.of("target/redis-cluster-" + BASE_PORT).toAbsolutePath(), Duration.ofSeconds(2));
        first = Coordinator.on(cluster, BASE_PORT);
        second = Coordinator.on(cluster, BASE_PORT + 4);
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (second != null) {
                second.stop();
            }
            if (first != null) {
                first.stop();
            }
        } finally {
            cluster.close();
        }
    }

    private static SpanningConfig config(long id) {
        return new SpanningConfig(
                new SpanningSettings(
                        id,
                        3,
                        "cluster",
                        true,
                        2,
                        5,
                        1,
                        FailureStrategy.PARTIAL_RESULTS,
                        0,
                        MergePolicy.deduplicating(DeduplicationStrategy.FIRST_WINS),
                        60,
                        null,
                        List.of()),
                List.of());
    }

    private static SharedAnswer answer(String... records) {
        List<byte[]> bytes = new ArrayList<>();
        for (String r : records) {
            bytes.add(r.getBytes(StandardCharsets.UTF_8));
        }
        return new SharedAnswer(QueryState.COMPLETE, bytes, List.of(), 3, records.length, 0, List.of(), 50);
    }

    private static List<String> texts(SharedAnswer answer) {
        return answer.records().stream()
                .map(r -> new String(r, StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void anAnswerCachedThroughOneCoordinatorIsReadByTheOtherFromTheSlotsMaster() {
        SpanningConfig config = config(41);
        String hash = "h-" + UUID.randomUUID();
        String encoded = first.cache().encode(answer("study-1", "study-2"));

        first.safe().writeInOrder(List.of(first.cache().store(config, hash, encoded)));

        Optional<SharedAnswer> read = second.cache().lookUp(config, hash);
        assertThat(read).isPresent();
        assertThat(texts(read.get())).containsExactly("study-1", "study-2");
        assertThat(read.get().matchesBeforeDeduplication()).isEqualTo(3);
        assertThat(read.get().maxResults()).isEqualTo(50);
        // the entry is on the master of its slot, with the config's TTL
        String key = RedisKeys.resultCache(41, 3, hash);
        int master = cluster.masterOf(key);
        assertThat(cluster.cli(master, "get", key).out().trim()).isEqualTo(encoded);
        long ttl = Long.parseLong(cluster.cli(master, "ttl", key).out().trim());
        assertThat(ttl).isBetween(55L, 60L);
        assertThat(second.cache().lookUp(config, "h-absent-" + UUID.randomUUID()))
                .isEmpty();
    }

    @Test
    void keysReadOrWrittenTogetherShareOneSlot() {
        String hash = "h-" + UUID.randomUUID();
        assertThat(slot(RedisKeys.inFlight(1, 2, hash)))
                .isEqualTo(slot(RedisKeys.resultCache(1, 2, hash)))
                .isEqualTo(slot(RedisKeys.inFlightDone(1, 2, hash)));
        String queryId = UUID.randomUUID().toString();
        assertThat(slot(RedisKeys.queryStatus(queryId)))
                .isEqualTo(slot(RedisKeys.queryResult(queryId)))
                .isEqualTo(slot(RedisKeys.queryAsker(queryId)))
                .isEqualTo(slot(RedisKeys.queryConflicts(queryId)));
        assertThat(slot(RedisKeys.sourceCircuit(17))).isEqualTo(slot(RedisKeys.sourceCircuitTrial(17)));
    }

    private static long slot(String key) {
        return Long.parseLong(
                cluster.cli(BASE_PORT, "cluster", "keyslot", key).out().trim());
    }

    @Test
    void aFollowerOnTheOtherCoordinatorReceivesTheOwnersAnnouncedAnswer() throws Exception {
        SpanningConfig config = config(42);
        String hash = "h-" + UUID.randomUUID();

        InFlightQueries.Role owner =
                first.inFlight().join(config, hash, "q-owner", Duration.ofSeconds(30), Duration.ofSeconds(30));
        InFlightQueries.Role follower =
                second.inFlight().join(config, hash, "q-follower", Duration.ofSeconds(30), Duration.ofSeconds(30));
        assertThat(owner).isInstanceOf(InFlightQueries.Owner.class);
        assertThat(follower).isInstanceOf(InFlightQueries.Follower.class);

        String encoded = first.cache().encode(answer("study-9"));
        List<SafeRedis.Write> writes = new ArrayList<>();
        writes.add(first.cache().store(config, hash, encoded));
        writes.addAll(first.inFlight().announce((InFlightQueries.Owner) owner, encoded));
        long start = System.nanoTime();
        first.safe().writeInOrder(writes);

        Optional<SharedAnswer> received =
                ((InFlightQueries.Follower) follower).answer().get(10, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(received).isPresent();
        assertThat(texts(received.get())).containsExactly("study-9");
        // an announcement, not the 20 s coalescing wait running out
        assertThat(tookMillis).isLessThan(5_000);
        assertThat(first.redis().hasKey(RedisKeys.inFlight(42, 3, hash))).isFalse();
        // the next identical query finds the key free and the answer cached
        assertThat(second.cache().lookUp(config, hash).map(RedisClusterCacheTest::texts))
                .contains(List.of("study-9"));
    }

    @Test
    void anAnnouncementPublishedOnAnyNodeReachesTheSubscriberOnAnother() throws Exception {
        int subscribedOn = subscriberNode();
        for (int publishOn : cluster.ports()) {
            if (publishOn == subscribedOn) {
                continue;
            }
            SpanningConfig config = config(43);
            String hash = "h-" + UUID.randomUUID();
            assertThat(first.inFlight().join(config, hash, "q-a", Duration.ofSeconds(30), Duration.ofSeconds(30)))
                    .isInstanceOf(InFlightQueries.Owner.class);
            InFlightQueries.Role follower =
                    second.inFlight().join(config, hash, "q-b", Duration.ofSeconds(30), Duration.ofSeconds(30));
            assertThat(follower).isInstanceOf(InFlightQueries.Follower.class);

            String encoded = first.cache().encode(answer("from-" + publishOn));
            String channel = RedisKeys.inFlightDone(43, 3, hash);
            assertThat(cluster.cli(publishOn, "publish", channel, encoded).exitCode())
                    .isZero();

            Optional<SharedAnswer> received =
                    ((InFlightQueries.Follower) follower).answer().get(10, TimeUnit.SECONDS);
            assertThat(received.map(RedisClusterCacheTest::texts))
                    .as("published on %d, subscribed on %d", publishOn, subscribedOn)
                    .contains(List.of("from-" + publishOn));
        }
    }

    /**
     * The node a subscription is on stops (a master: its replica takes over): the coordinator subscribed there
     * subscribes again through another node, and coalescing works again both ways.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void coalescingWorksAgainAfterTheSubscribedNodeStops() throws Exception {
        int subscribedOn = subscriberNode();
        boolean master = cluster.cli(subscribedOn, "role").out().startsWith("master");
        long stoppedAt = System.nanoTime();
        cluster.killMaster(subscribedOn);
        if (master) {
            cluster.awaitFailover(Duration.ofSeconds(30));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int round = 0;
        for (Coordinator[] pair : new Coordinator[][] {{first, second}, {second, first}}) {
            while (true) {
                round++;
                SpanningConfig config = config(44);
                String hash = "h-" + UUID.randomUUID();
                Optional<SharedAnswer> received = coalesce(pair[0], pair[1], config, hash, "round-" + round);
                if (received.map(RedisClusterCacheTest::texts).equals(Optional.of(List.of("round-" + round)))) {
                    break;
                }
                assertThat(System.nanoTime()).as("coalescing again within 60 s").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
        System.out.printf(
                "Redis Cluster: subscribed node %d (%s) stopped; coalescing worked again both ways after %d ms%n",
                subscribedOn,
                master ? "master" : "replica",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt));
    }

    /**
     * One round of coalescing: the owner takes the key, the follower joins, the owner announces; what the follower
     * received within 3 s (empty when it could not join or heard nothing).
     */
    private static Optional<SharedAnswer> coalesce(
            Coordinator owner, Coordinator follower, SpanningConfig config, String hash, String record)
            throws Exception {
        InFlightQueries.Role owned =
                owner.inFlight().join(config, hash, "q-o-" + hash, Duration.ofSeconds(30), Duration.ofSeconds(3));
        if (!(owned instanceof InFlightQueries.Owner o)) {
            return Optional.empty();
        }
        InFlightQueries.Role joined =
                follower.inFlight().join(config, hash, "q-f-" + hash, Duration.ofSeconds(30), Duration.ofSeconds(3));
        String encoded = owner.cache().encode(answer(record));
        owner.safe().writeInOrder(owner.inFlight().announce(o, encoded));
        if (!(joined instanceof InFlightQueries.Follower f)) {
            return Optional.empty();
        }
        return f.answer().get(10, TimeUnit.SECONDS);
    }

    /** The node on which the second coordinator's pattern subscription is (its client has psub=1). */
    private static int subscriberNode() {
        List<Integer> found = new ArrayList<>();
        for (int port : cluster.ports()) {
            String clients = cluster.cli(port, "client", "list").out();
            if (clients.lines().anyMatch(line -> line.contains("psub=1"))) {
                found.add(port);
            }
        }
        // both coordinators subscribe; at least one node holds a subscription, and no node is left unable to publish
        assertThat(found).isNotEmpty();
        return found.get(0);
    }
}
