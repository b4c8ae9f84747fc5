package org.isolatedpg.benchmarks;

import io.zonky.test.db.postgres.embedded.FlywayPreparer;
import io.zonky.test.db.postgres.embedded.PreparedDbProvider;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** What a team would do instead, each running the same trivial test; every figure is milliseconds per test. */
final class Alternatives {

    private final String maintenanceUrl;
    private final String baseUrl;
    private final String user;
    private final String password;
    private final Path schema;

    Alternatives(String maintenanceUrl, String user, String password, Path schema) {
        this.maintenanceUrl = maintenanceUrl;
        this.baseUrl = maintenanceUrl.substring(0, maintenanceUrl.lastIndexOf('/') + 1);
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    /** A fresh database per test, migrated by Flyway. */
    double migratePerTest(int tests) throws SQLException {
        long started = System.nanoTime();
        for (int i = 0; i < tests; i++) {
            String name = "alt_migrate_" + i;
            createMigrated(name);
            try (Connection connection = DriverManager.getConnection(baseUrl + name, user, password)) {
                Work.insertAndSelect(connection, "test");
            }
            admin("DROP DATABASE " + name + " WITH (FORCE)");
        }
        return perTest(started, tests);
    }

    /** One shared database; every test first truncates all tables (the seed data is not restored). */
    double truncatePerTest(int tests) throws SQLException {
        String name = "alt_truncate";
        createMigrated(name);
        try (Connection connection = DriverManager.getConnection(baseUrl + name, user, password);
                Statement statement = connection.createStatement()) {
            StringBuilder tables = new StringBuilder("marker");
            for (int t = 1; t <= 30; t++) {
                tables.append(", t").append(t);
            }
            long started = System.nanoTime();
            for (int i = 0; i < tests; i++) {
                statement.execute("TRUNCATE " + tables + " RESTART IDENTITY CASCADE");
                Work.insertAndSelect(connection, "test");
            }
            return perTest(started, tests);
        } finally {
            admin("DROP DATABASE " + name + " WITH (FORCE)");
        }
    }

    /** One shared database and no isolation at all: the floor. */
    double sharedDatabase(int tests) throws SQLException {
        String name = "alt_shared";
        createMigrated(name);
        try (Connection connection = DriverManager.getConnection(baseUrl + name, user, password)) {
            long started = System.nanoTime();
            for (int i = 0; i < tests; i++) {
                Work.insertAndSelect(connection, "test " + i);
            }
            return perTest(started, tests);
        } finally {
            admin("DROP DATABASE " + name + " WITH (FORCE)");
        }
    }

    /** zonky's PreparedDbProvider with its Flyway preparer: a new database per test, as its users do. */
    static double zonkyPreparedDbProvider(Path schema, int tests) throws SQLException {
        PreparedDbProvider provider = PreparedDbProvider.forPreparer(
                FlywayPreparer.fromConfiguration(Map.of("flyway.locations", "filesystem:" + schema)));
        provider.createDataSource(); // its cluster and template, before the clock starts
        long started = System.nanoTime();
        for (int i = 0; i < tests; i++) {
            DataSource dataSource = provider.createDataSource();
            try (Connection connection = dataSource.getConnection()) {
                Work.insertAndSelect(connection, "test");
            }
        }
        return perTest(started, tests);
    }

    /** A new database with the schema migrated into it. */
    private void createMigrated(String name) throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        admin("CREATE DATABASE " + name);
        Flyway.configure()
                .dataSource(baseUrl + name, user, password)
                .locations("filesystem:" + schema)
                .load()
                .migrate();
    }

    private void admin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(maintenanceUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static double perTest(long startedNanos, int tests) {
        return (System.nanoTime() - startedNanos) / 1e6 / tests;
    }
}
