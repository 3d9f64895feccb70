package io.dicomspanner.gateway;

import io.dicomspanner.schema.testing.TestDatabase;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives each test JVM a PostgreSQL database of its own (schema's {@link TestDatabase}, {@code spanner_test_<random>}),
 * created before the first test and dropped after the last: two test runs on one machine (a developer's and CI's, or
 * two worktrees) must not truncate each other's tables. The name reaches {@code application-test.yaml} as the system
 * property {@value #PROPERTY}; each gateway context migrates it with Flyway as it starts.
 */
public final class TestDatabaseSession implements LauncherSessionListener {

    public static final String PROPERTY = "spanner.test.database";

    private TestDatabase database;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        database = TestDatabase.createEmpty("spanner_test");
        System.setProperty(PROPERTY, database.name());
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (database != null) {
            database.close();
            System.clearProperty(PROPERTY);
        }
    }
}
