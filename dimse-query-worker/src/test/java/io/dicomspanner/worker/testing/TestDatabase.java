package io.dicomspanner.worker.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A database of this test run's own (the sources table the worker reads), migrated with the schema module's
 * migrations and dropped when the JVM ends, so a worker serving "every source" sees only this run's sources.
 */
public final class TestDatabase {

    public static final String NAME = "spanner_test_worker_"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + NAME;
    public static final String USER = "postgres";
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private static boolean ready;

    private TestDatabase() {}

    public static synchronized String url() {
        if (!ready) {
            execute("create database " + NAME);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> execute("drop database if exists " + NAME + " with (force)")));
            Flyway.configure()
                    .dataSource(URL, USER, "")
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            ready = true;
        }
        return URL;
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    /** Runs one statement on this run's database. */
    public static void update(String sql, Object... parameters) {
        try (Connection c = connect();
                var s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A source row as the admin API writes it (Study Root and Patient Root, relational queries). */
    public static void insertSource(long id, String aeTitle, int port, boolean enabled) {
        update("""
                insert into dicom_source (id, name, ae_title, host, port, calling_ae_title, tls, max_associations,
                    query_timeout_seconds, information_models, relational_queries, enabled, created_at, updated_at)
                values (?, ?, ?, '127.0.0.1', ?, 'SPANNER', false, 4, 30, '{study_root,patient_root}', true, ?,
                    now(), now())
                """, id, "source-" + id, aeTitle, port, enabled);
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }
}
