package io.dicomspanner.gateway.span;

import io.dicomspanner.common.answer.QueryStatusDocument;
import io.dicomspanner.common.messaging.ConflictingCopies;
import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.gateway.error.ServiceProblemException;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Status and results of queries as the coordinators keep them in Redis ({@link RedisKeys#queryStatus},
 * {@link RedisKeys#queryResult}). The gateway writes a query's first RUNNING status, so that its status URL answers
 * from the moment it is handed out, and the coordinator replaces it; and the final status of a query the gateway
 * answers from the result cache itself.
 */
@Component
public class QueryStore {

    private static final Logger log = LoggerFactory.getLogger(QueryStore.class);

    private final StringRedisTemplate redis;
    private final MessageCodec codec = MessageCodec.instance();
    private final SealedCodec sealed;
    private final SpanProperties properties;

    public QueryStore(StringRedisTemplate redis, SealedCodec sealed, SpanProperties properties) {
        this.redis = redis;
        this.sealed = sealed;
        this.properties = properties;
    }

    /**
     * Records a query as RUNNING, unless a coordinator was quicker. Redis being down does not stop the query (the
     * status URL then answers 503 until Redis is back); it is logged.
     */
    public void recordStarted(String queryId, SpanQuery query, long configVersion, Instant startedAt) {
        QueryStatus status = QueryStatus.of(queryId, query)
                .configVersion(configVersion)
                .createdAt(startedAt.toEpochMilli())
                .build();
        QueryStatusDocument document = QueryStatusDocument.of(status, properties.statusTtl());
        try {
            redis.opsForValue().setIfAbsent(document.key(), document.json(), document.ttl());
        } catch (DataAccessException e) {
            log.warn("Status of query {} not recorded, Redis unreachable: {}", queryId, e.getMessage());
        }
    }

    /**
     * Records the final status of a query this gateway answered itself (from the result cache), replacing any
     * earlier one. Sent without waiting for Redis' reply, so the answer does not wait a round trip for it; the SET
     * leaves on the gateway's shared Redis connection before the answer does, and a status read through this gateway
     * follows it on the same connection. Redis failing is logged: the answer is given all the same.
     */
    public void recordFinished(QueryStatus status) {
        QueryStatusDocument document = QueryStatusDocument.of(status, properties.statusTtl());
        setWithoutWaiting(document.key(), document.json(), document.ttl(), "Status", status.queryId());
    }

    /**
     * Records which API key asked a query, for {@code askerTtl}. Sent without waiting for Redis' reply, on the shared
     * connection, before the query is published: a status read through this gateway follows it on the same
     * connection, and a coordinator cannot have written a status before it leaves. Redis failing is logged; the query
     * is then readable by admin keys only.
     */
    public void recordAsker(String queryId, long keyId) {
        setWithoutWaiting(RedisKeys.queryAsker(queryId), Long.toString(keyId), properties.askerTtl(), "Asker", queryId);
    }

    /**
     * Adds a console search to the searches its key started lately (for {@code askerTtl}, the older ones dropped), so
     * that the key's list shows it while it runs. Sent without waiting, like {@link #recordAsker}; a failure is logged
     * and the query is then listed once it has ended (from the query log).
     */
    public void recordConsoleQuery(long keyId, String queryId, Instant startedAt) {
        byte[] key = RedisKeys.consoleQueriesOf(keyId).getBytes(StandardCharsets.UTF_8);
        long since = startedAt.toEpochMilli() - properties.askerTtl().toMillis();
        try {
            redis.execute((RedisCallback<Void>) connection -> {
                @SuppressWarnings("unchecked")
                RedisClusterAsyncCommands<byte[], byte[]> async =
                        (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
                async.zadd(key, (double) startedAt.toEpochMilli(), queryId.getBytes(StandardCharsets.UTF_8));
                async.zremrangebyscore(key, Range.create(Double.NEGATIVE_INFINITY, (double) since));
                async.pexpire(key, properties.askerTtl().toMillis()).whenComplete((ok, e) -> {
                    if (e != null) {
                        log.warn("console query {} not listed for its key: {}", queryId, e.toString());
                    }
                });
                return null;
            });
        } catch (DataAccessException e) {
            log.warn("console query {} not listed for its key, Redis unreachable: {}", queryId, e.getMessage());
        }
    }

    /** The ids of the console searches {@code keyId} started lately, newest first, at most {@code limit}. */
    public List<String> consoleQueriesOf(long keyId, int limit) {
        try {
            var ids = redis.opsForZSet().reverseRange(RedisKeys.consoleQueriesOf(keyId), 0, limit - 1L);
            return ids == null ? List.of() : List.copyOf(ids);
        } catch (DataAccessException e) {
            log.warn("console queries of key {} not read, Redis unreachable: {}", keyId, e.getMessage());
            return List.of();
        }
    }

    /** A SET with expiry sent on the shared connection without waiting for its reply; a failure is logged. */
    private void setWithoutWaiting(String redisKey, String value, Duration ttl, String what, String queryId) {
        byte[] key = redisKey.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        SetArgs expiry = SetArgs.Builder.px(ttl.toMillis());
        try {
            redis.execute((RedisCallback<Void>) connection -> {
                @SuppressWarnings("unchecked")
                RedisClusterAsyncCommands<byte[], byte[]> async =
                        (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
                async.set(key, bytes, expiry).whenComplete((ok, e) -> {
                    if (e != null) {
                        log.warn("{} of query {} not recorded: {}", what, queryId, e.toString());
                    }
                });
                return null;
            });
        } catch (DataAccessException e) {
            log.warn("{} of query {} not recorded, Redis unreachable: {}", what, queryId, e.getMessage());
        }
    }

    /** A query's status and the id of the key that asked it (null when not known). */
    public record AskedQuery(QueryStatus status, Long askerKeyId) {}

    /**
     * The status of a query and who asked it, in one round trip; empty if it is unknown or expired.
     *
     * @throws ServiceProblemException 503 when Redis cannot be reached
     */
    public Optional<AskedQuery> askedQuery(String queryId) {
        List<String> values;
        try {
            values = redis.opsForValue()
                    .multiGet(List.of(RedisKeys.queryStatus(queryId), RedisKeys.queryAsker(queryId)));
        } catch (DataAccessException e) {
            log.warn("Redis unreachable reading the status of query {}: {}", queryId, e.getMessage());
            throw new ServiceProblemException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Query state is unavailable (Redis unreachable)",
                    properties.overloadRetryAfter());
        }
        if (values == null || values.get(0) == null) {
            return Optional.empty();
        }
        Long asker = null;
        if (values.get(1) != null) {
            try {
                asker = Long.valueOf(values.get(1));
            } catch (NumberFormatException e) {
                log.warn("Asker of query {} unreadable; only admin keys may read the query", queryId);
            }
        }
        return Optional.of(new AskedQuery(codec.read(values.get(0), QueryStatus.class), asker));
    }

    /** Removes the status of a query that never reached a coordinator, so its status URL does not say RUNNING. */
    public void forget(String queryId) {
        try {
            redis.delete(List.of(RedisKeys.queryStatus(queryId), RedisKeys.queryAsker(queryId)));
        } catch (DataAccessException e) {
            log.warn("Status of refused query {} not removed, Redis unreachable: {}", queryId, e.getMessage());
        }
    }

    /** The status of a query; empty if it is unknown or expired. */
    public Optional<QueryStatus> status(String queryId) {
        return read(RedisKeys.queryStatus(queryId)).map(json -> codec.read(json, QueryStatus.class));
    }

    /**
     * The merged answer of a finished query as DICOM JSON; empty if there is none (yet, or any more), or if it does not
     * open (sealed under no key of this gateway, or changed; counted by the codec).
     */
    public Optional<String> result(String queryId) {
        return read(RedisKeys.queryResult(queryId)).flatMap(sealed::openEntryText);
    }

    /**
     * The records of a finished async query whose copies disagree on Patient ID, by unique key; empty when there are
     * none, when the coordinator that answered does not record them, or when the entry does not open (as for
     * {@link #result}).
     */
    public List<ConflictingCopies> conflicts(String queryId) {
        return read(RedisKeys.queryConflicts(queryId))
                .flatMap(entry -> sealed.openEntry(entry, ConflictingCopies[].class))
                .map(List::of)
                .orElse(List.of());
    }

    /**
     * The values of several spanner keys in one round trip, in their order, {@code null} where there is none; all
     * {@code null} when Redis cannot be reached (logged): for views of which these values are only a part, such as
     * the newest probe of each source in a page of sources.
     */
    public List<String> readIfReachable(List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        try {
            List<String> values = redis.opsForValue().multiGet(keys);
            if (values != null) {
                return values;
            }
        } catch (DataAccessException e) {
            log.warn("Redis unreachable reading {} key(s) such as {}: {}", keys.size(), keys.get(0), e.getMessage());
        }
        return new ArrayList<>(Collections.nCopies(keys.size(), null));
    }

    /** A value of any spanner key (the health of a source, ...); 503 when Redis cannot be reached. */
    public Optional<String> read(String key) {
        try {
            return Optional.ofNullable(redis.opsForValue().get(key));
        } catch (DataAccessException e) {
            log.warn("Redis unreachable reading {}: {}", key, e.getMessage());
            throw new ServiceProblemException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Query state is unavailable (Redis unreachable)",
                    properties.overloadRetryAfter());
        }
    }
}
