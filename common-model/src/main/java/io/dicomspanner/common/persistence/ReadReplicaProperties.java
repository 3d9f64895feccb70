package io.dicomspanner.common.persistence;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where a service's read-only readers (config and source look-ups) read from ({@code spanner.read-replica}). Empty
 * {@code url}: they read through the service's own datasource ({@code spring.datasource}). Set: they read through a
 * small read-only pool of their own, typically a streaming replica or a multi-host URL with
 * {@code targetServerType=preferSecondary}, so that they go on answering while the primary is away.
 *
 * @param url JDBC URL of the replica; empty for none
 * @param username user on the replica; empty: {@code spring.datasource.username}
 * @param password password on the replica; empty: {@code spring.datasource.password}
 * @param maximumPoolSize connections the readers' pool keeps at most
 * @param connectionTimeout how long a reader waits for a connection before it fails (and keeps what it read before)
 */
@ConfigurationProperties("spanner.read-replica")
public record ReadReplicaProperties(
        String url, String username, String password, Integer maximumPoolSize, Duration connectionTimeout) {

    public ReadReplicaProperties {
        url = url == null ? "" : url.strip();
        maximumPoolSize = maximumPoolSize == null ? 2 : maximumPoolSize;
        connectionTimeout = connectionTimeout == null ? Duration.ofSeconds(5) : connectionTimeout;
        if (!url.isEmpty() && !url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("spanner.read-replica.url must be a JDBC URL (jdbc:...), is " + url);
        }
        if (maximumPoolSize < 1 || maximumPoolSize > 100) {
            throw new IllegalArgumentException(
                    "spanner.read-replica.maximum-pool-size must be 1..100, is " + maximumPoolSize);
        }
        // Hikari's floor for a connection timeout is 250 ms.
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException(
                    "spanner.read-replica.connection-timeout must be at least 250ms, is " + connectionTimeout);
        }
    }

    public boolean configured() {
        return !url.isEmpty();
    }
}
