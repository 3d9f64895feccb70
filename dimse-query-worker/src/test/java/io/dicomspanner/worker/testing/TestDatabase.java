package io.dicomspanner.worker.testing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A database of this test run's own (the sources table the worker reads), migrated with the schema module's
 * migrations and dropped when the JVM ends (schema's {@link io.dicomspanner.schema.testing.TestDatabase}), so a worker
 * serving "every source" sees only this run's sources.
 */
public final class TestDatabase {

    private static io.dicomspanner.schema.testing.TestDatabase database;

    private TestDatabase() {}

    public static synchronized String url() {
        if (database == null) {
            database = io.dicomspanner.schema.testing.TestDatabase.create("spanner_test_worker")
                    .dropAtExit();
        }
        return database.url();
    }

    public static Connection connect() throws SQLException {
        url();
        return database.connect();
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
}
