package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.seal.DataKey;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.seal.Sealer;
import io.dicomspanner.gateway.span.QueryStore;
import io.dicomspanner.gateway.span.SpanProperties;
import io.dicomspanner.testing.RedisCluster;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The gateway's Redis side on a Redis Cluster of 3 masters and 3 replicas: the query store (its writes sent without
 * waiting on the native cluster connection, then read in one MGET; DEL of a query's keys) and the cache look-up script
 * of {@link CachedAnswers}.
 */
class RedisClusterStoreTest {

    private static final int BASE_PORT = 27010;
    private static final String DATA_KEY = "tTMOdKPhDnEDaMDEt3VN8PpWdRJU+Pgofp7tVeZ76Po=";

    private static RedisCluster cluster;
    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate redis;
    private static QueryStore store;
    private static SealedCodec sealed;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start(
                BASE_PORT, Path.of("target/redis-cluster-" + BASE_PORT).toAbsolutePath(), Duration.ofSeconds(2));
        RedisClusterConfiguration nodes =
                new RedisClusterConfiguration(Arrays.asList(cluster.nodes().split(",")));
        nodes.setUsername(RedisCluster.USER);
        nodes.setPassword(cluster.password());
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(Duration.ofSeconds(2))
                .clientOptions(ClusterClientOptions.builder()
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers()
                                .build())
                        .build())
                .build();
        connections = new LettuceConnectionFactory(nodes, client);
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
        sealed = new SealedCodec(Sealer.withKey(DataKey.ofBase64(DATA_KEY)), new SimpleMeterRegistry());
        SpanProperties properties = new SpanProperties(
                "spanner.requests",
                "spanner.request",
                "spanner.health",
                "gw-test",
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                Duration.ofHours(1),
                Duration.ofHours(2),
                null);
        store = new QueryStore(redis, sealed, properties);
    }

    @AfterAll
    static void stop() {
        try {
            if (connections != null) {
                connections.destroy();
            }
        } finally {
            cluster.close();
        }
    }

    @Test
    void aQuerysStatusAndAskerWrittenWithoutWaitingAreReadTogether() {
        String queryId = UUID.randomUUID().toString();
        SpanQuery query = QidoApiTest.studiesOfPatient12345(5);

        store.recordAsker(queryId, 77);
        store.recordStarted(queryId, query, 4, Instant.ofEpochMilli(1_000));
        QueryStore.AskedQuery asked = store.askedQuery(queryId).orElseThrow();
        assertThat(asked.askerKeyId()).isEqualTo(77L);
        assertThat(asked.status().state()).isEqualTo(QueryState.RUNNING);
        assertThat(asked.status().configVersion()).isEqualTo(4);
        assertThat(asked.status().createdEpochMillis()).isEqualTo(1_000);

        // sent without waiting, then read on the same connection to the slot's master: the read sees it
        store.recordFinished(QueryStatus.of(queryId, query)
                .configVersion(4)
                .createdAt(1_000)
                .state(QueryState.COMPLETE)
                .completedAt(1_500)
                .fromCache(true)
                .build());
        QueryStatus finished = store.status(queryId).orElseThrow();
        assertThat(finished.state()).isEqualTo(QueryState.COMPLETE);
        assertThat(finished.fromCache()).isTrue();
        assertThat(finished.completedEpochMillis()).isEqualTo(1_500L);

        int master = cluster.masterOf(RedisKeys.queryStatus(queryId));
        assertThat(cluster.masterOf(RedisKeys.queryAsker(queryId))).isEqualTo(master);
        assertThat(cluster.cli(master, "get", RedisKeys.queryAsker(queryId))
                        .out()
                        .trim())
                .isEqualTo("77");
        long askerTtl = Long.parseLong(
                cluster.cli(master, "ttl", RedisKeys.queryAsker(queryId)).out().trim());
        assertThat(askerTtl).isBetween(7_190L, 7_200L);

        store.forget(queryId);
        assertThat(store.askedQuery(queryId)).isEmpty();
        assertThat(redis.hasKey(RedisKeys.queryAsker(queryId))).isFalse();
    }

    @Test
    void anAsyncResultIsOpenedFromTheCluster() {
        String queryId = UUID.randomUUID().toString();
        redis.opsForValue().set(RedisKeys.queryResult(queryId), sealed.sealEntryText("[{\"0020000D\":{}}]"));
        assertThat(store.result(queryId)).contains("[{\"0020000D\":{}}]");
        assertThat(store.result(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void keysOfManySlotsAreReadInOneCallInTheirOrder() {
        List<String> keys = List.of(
                RedisKeys.matchingProbe(9001),
                RedisKeys.matchingProbe(9002),
                RedisKeys.matchingProbe(9003),
                RedisKeys.sourceHealth(9004));
        redis.opsForValue().set(keys.get(0), "probe-1");
        redis.opsForValue().set(keys.get(2), "probe-3");
        redis.opsForValue().set(keys.get(3), "health-4");
        try {
            assertThat(store.readIfReachable(keys)).containsExactly("probe-1", null, "probe-3", "health-4");
        } finally {
            redis.delete(keys);
        }
    }

    @Test
    void theCacheLookUpScriptReadsTheEntryAndItsTimeToLive() {
        String key = RedisKeys.resultCache(1, 2, "hash-" + UUID.randomUUID());
        assertThat(redis.execute(CachedAnswers.GET_WITH_TTL, List.of(key))).isEmpty();

        redis.opsForValue().set(key, "sealed-entry", Duration.ofSeconds(60));
        List<Object> read = redis.execute(CachedAnswers.GET_WITH_TTL, List.of(key));
        assertThat(read).hasSize(2);
        assertThat(read.get(0)).isEqualTo("sealed-entry");
        assertThat((Long) read.get(1)).isBetween(55_000L, 60_000L);
    }
}
