package org.isolatedpg.core.internal.liquibase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.isolatedpg.core.AdminAccess;
import org.isolatedpg.core.internal.source.BuildTarget;

/** A database of a test's own on a server, created empty and dropped when closed. */
final class ScratchDatabase implements AutoCloseable {

    private final AdminAccess admin;
    private final String name;

    private ScratchDatabase(AdminAccess admin, String name) {
        this.admin = admin;
        this.name = name;
    }

    static ScratchDatabase create(AdminAccess admin) throws SQLException {
        String name =
                "ipgtest_lb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(admin, "postgres", "CREATE DATABASE " + name);
        return new ScratchDatabase(admin, name);
    }

    /** The database as a template source sees it, reading {@code classpath:} through the loader. */
    BuildTarget target(ClassLoader loader) {
        return new BuildTarget(admin.jdbcUrl(name), admin.user(), admin.password(), loader);
    }

    /** The first column of every row the query returns, as text. */
    List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    String string(String sql) throws SQLException {
        List<String> values = strings(sql);
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public void close() throws SQLException {
        execute(admin, "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(admin.jdbcUrl(name), admin.user(), admin.password());
    }

    private static void execute(AdminAccess admin, String database, String sql) throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(admin.jdbcUrl(database), admin.user(), admin.password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
