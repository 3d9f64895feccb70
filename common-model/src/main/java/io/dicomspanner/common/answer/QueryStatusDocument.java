package io.dicomspanner.common.answer;

import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.RedisKeys;
import java.time.Duration;

/**
 * A query's status as Redis holds it: the key ({@link RedisKeys#queryStatus}), the JSON ({@link MessageCodec}) and how
 * long it stays. Every writer of a status writes this document; they differ only in how they send it (the coordinator
 * with its other writes in one round trip, the gateway its first status only if none is there yet).
 */
public record QueryStatusDocument(String key, String json, Duration ttl) {

    public static QueryStatusDocument of(QueryStatus status, Duration ttl) {
        return new QueryStatusDocument(
                RedisKeys.queryStatus(status.queryId()), MessageCodec.instance().writeString(status), ttl);
    }
}
