package io.dicomspanner.systemtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL database of one run on the machine's server (127.0.0.1:5432, user postgres, trust auth): created
 * empty, migrated by the gateway when it starts, dropped at the end even while services still hold connections.
 */
final class RunDatabase implements AutoCloseable {
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String USER = "postgres";

    private final String name;

    private RunDatabase(String name) {
        this.name = name;
    }

    /** Creates database {@code name} (letters, digits and underscores only). */
    static RunDatabase create(String name) throws SQLException {
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new RunDatabase(name);
    }

    String name() {
        return name;
    }

    String jdbcUrl() {
        return SERVER + name;
    }

    /** Drops the database; {@code FORCE} ends connections of services that were killed rather than stopped. */
    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
