package org.isolatedpg.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Plain JDBC for the examples that have no repository classes: a query's first column, or one number. */
public final class Sql {

    private Sql() {}

    /** The first column of every row, as text. */
    public static List<String> column(DataSource dataSource, String query, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, query, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    /** The first column of the single row, as a number. */
    public static long number(DataSource dataSource, String query, Object... parameters) throws SQLException {
        List<String> values = column(dataSource, query, parameters);
        if (values.size() != 1) {
            throw new IllegalStateException("Expected one row from " + query + ", got " + values.size());
        }
        return Long.parseLong(values.get(0));
    }

    /** Runs a statement that returns no rows; answers how many rows it changed. */
    public static int update(DataSource dataSource, String statement, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement prepared = prepare(connection, statement, parameters)) {
            return prepared.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
