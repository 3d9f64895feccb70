package io.dicomspanner.gateway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives each test JVM a PostgreSQL database of its own ({@code spanner_test_<random>}), created before the first test
 * and dropped after the last: two test runs on one machine (a developer's and CI's, or two worktrees) must not
 * truncate each other's tables. The name reaches {@code application-test.yaml} as the system property
 * {@value #PROPERTY}; each gateway context migrates it with Flyway as it starts.
 */
public final class TestDatabaseSession implements LauncherSessionListener {

    public static final String PROPERTY = "spanner.test.database";
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String USER = "postgres";

    private String name;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        name = "spanner_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("create database " + name);
        System.setProperty(PROPERTY, name);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (name != null) {
            // WITH (FORCE) ends connections a pool may still hold open at JVM shutdown (PostgreSQL 13+).
            execute("drop database if exists " + name + " with (force)");
            System.clearProperty(PROPERTY);
        }
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database: " + sql + " failed", e);
        }
    }
}
