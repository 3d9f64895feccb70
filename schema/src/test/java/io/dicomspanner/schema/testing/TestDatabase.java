package io.dicomspanner.schema.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A PostgreSQL database of one test run on the machine's server (127.0.0.1:5432, user postgres, trust auth), named
 * {@code <prefix>_<random>} so that concurrent runs (CI beside a developer, parallel worktrees) never meet each other's
 * rows, and dropped at the end even while a killed service still holds connections. Every module's tests that need
 * the schema's tables take their database from here (this module's test-jar).
 */
public final class TestDatabase implements AutoCloseable {
    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    public static final String USER = "postgres";

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    /** A new database migrated with this module's migrations ({@code classpath:db/migration}). */
    public static TestDatabase create(String prefix) {
        TestDatabase db = createEmpty(prefix);
        Flyway.configure()
                .dataSource(db.url(), USER, "")
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return db;
    }

    /** A new, empty database, for a service under test that migrates it itself (the gateway does at start). */
    public static TestDatabase createEmpty(String prefix) {
        if (!prefix.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name prefix: " + prefix);
        }
        String name =
                prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        executeOnServer("create database " + name);
        return new TestDatabase(name);
    }

    /** Drops the database when the JVM ends, for a database a whole test JVM shares. */
    public TestDatabase dropAtExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        return this;
    }

    public String name() {
        return name;
    }

    public String url() {
        return SERVER + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    /** Drops the database; {@code FORCE} ends connections of services that were killed rather than stopped. */
    @Override
    public void close() {
        executeOnServer("drop database if exists " + name + " with (force)");
    }

    /** SQLSTATE of "too many connections": the machine's server is shared by every test JVM running at once. */
    private static final String TOO_MANY_CONNECTIONS = "53300";

    private static final int ATTEMPTS = 15;

    /**
     * Runs {@code sql} on the server's {@code postgres} database; while the server has no connection left (other test
     * runs on the machine hold them all), tries again every 2 s, at most {@value #ATTEMPTS} times.
     */
    private static void executeOnServer(String sql) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
                    Statement s = c.createStatement()) {
                s.execute(sql);
                return;
            } catch (SQLException e) {
                if (!TOO_MANY_CONNECTIONS.equals(e.getSQLState()) || attempt == ATTEMPTS) {
                    throw new IllegalStateException(sql + " failed", e);
                }
            }
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(sql + " interrupted", e);
            }
        }
    }
}
