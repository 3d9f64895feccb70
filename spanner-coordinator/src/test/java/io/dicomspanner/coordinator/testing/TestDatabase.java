package io.dicomspanner.coordinator.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/** The coordinator's own test database, created if absent and migrated with the schema module's migrations. */
public final class TestDatabase {

    public static final String NAME = "spanner_test_coord";
    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + NAME;
    public static final String USER = "postgres";

    private static boolean ready;

    private TestDatabase() {}

    public static synchronized String url() {
        if (!ready) {
            create();
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

    private static void create() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", USER, "");
                Statement s = c.createStatement()) {
            var rs = s.executeQuery("select 1 from pg_database where datname = '" + NAME + "'");
            if (!rs.next()) {
                s.execute("create database " + NAME);
            }
        } catch (SQLException e) {
            // Two test JVMs may race to create it; the loser finds it there.
            if (!"42P04".equals(e.getSQLState())) {
                throw new IllegalStateException("cannot create " + NAME, e);
            }
        }
    }
}
