package io.dicomspanner.coordinator.testing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The coordinator tests' database: one per test JVM, migrated with the schema module's migrations and dropped when the
 * JVM ends (schema's {@link io.dicomspanner.schema.testing.TestDatabase}).
 */
public final class TestDatabase {

    private static io.dicomspanner.schema.testing.TestDatabase database;

    private TestDatabase() {}

    public static synchronized String url() {
        if (database == null) {
            database = io.dicomspanner.schema.testing.TestDatabase.create("spanner_test_coord")
                    .dropAtExit();
        }
        return database.url();
    }

    public static Connection connect() throws SQLException {
        url();
        return database.connect();
    }
}
