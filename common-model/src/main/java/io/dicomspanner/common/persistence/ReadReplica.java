package io.dicomspanner.common.persistence;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What read-only readers (a worker's source directory, a listener's AE titles, a coordinator's configs) read through:
 * a replica of its own when {@code spanner.read-replica.url} is set, else the service's primary datasource. Writers
 * (query log, audit, key observations) never use it: they stay on the primary and its outbox.
 *
 * <p>Not a {@link DataSource} bean of its own, so that Spring Boot's datasource, Flyway and JPA set-up keep seeing
 * exactly one datasource.
 */
public final class ReadReplica implements AutoCloseable {

    private final JdbcClient jdbc;
    private final HikariDataSource ownPool;

    private ReadReplica(JdbcClient jdbc, HikariDataSource ownPool) {
        this.jdbc = jdbc;
        this.ownPool = ownPool;
    }

    /** Readers read through the primary datasource itself. */
    public static ReadReplica ofPrimary(DataSource primary) {
        return new ReadReplica(JdbcClient.create(primary), null);
    }

    /**
     * Readers read through a read-only pool of their own. The pool connects on first use, so a replica that is down
     * at start does not stop the service.
     */
    public static ReadReplica ofReplica(
            String url, String username, String password, int maximumPoolSize, long connectionTimeoutMillis) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("read-replica");
        pool.setJdbcUrl(url);
        pool.setUsername(username);
        pool.setPassword(password);
        pool.setReadOnly(true);
        pool.setMaximumPoolSize(maximumPoolSize);
        pool.setMinimumIdle(0);
        pool.setConnectionTimeout(connectionTimeoutMillis);
        pool.setValidationTimeout(Math.max(250, Math.min(connectionTimeoutMillis / 2, 5_000)));
        return new ReadReplica(JdbcClient.create(pool), pool);
    }

    public JdbcClient jdbc() {
        return jdbc;
    }

    /** True when readers have a pool of their own, false when they share the primary datasource. */
    public boolean separate() {
        return ownPool != null;
    }

    @Override
    public void close() {
        if (ownPool != null) {
            ownPool.close();
        }
    }
}
