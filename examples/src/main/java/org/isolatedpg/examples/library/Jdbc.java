package org.isolatedpg.examples.library;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The little JDBC the library needs: parameterised statements, rows mapped by lambdas, and transactions.
 *
 * <p>Outside {@link #inTransaction} every call takes a connection from the data source and gives it back; inside, all
 * calls run on the transaction's connection. {@link SQLException}s become {@link DataAccessException}s.
 */
final class Jdbc {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final DataSource dataSource;
    private final Connection transaction;

    Jdbc(DataSource dataSource) {
        this(dataSource, null);
    }

    private Jdbc(DataSource dataSource, Connection transaction) {
        this.dataSource = dataSource;
        this.transaction = transaction;
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) {
        return execute(sql, parameters, statement -> {
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        });
    }

    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... parameters) {
        List<T> rows = query(sql, mapper, parameters);
        if (rows.size() > 1) {
            throw new IllegalStateException("Expected at most one row but got " + rows.size() + " from: " + sql);
        }
        return rows.stream().findFirst();
    }

    int update(String sql, Object... parameters) {
        return execute(sql, parameters, PreparedStatement::executeUpdate);
    }

    /**
     * Runs {@code work} in one transaction: commits if it returns, rolls back and rethrows if it throws. The
     * {@code Jdbc} it receives runs every statement on the transaction's connection.
     */
    <T> T inTransaction(Function<Jdbc, T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(new Jdbc(dataSource, connection));
                connection.commit();
                return result;
            } catch (RuntimeException | Error e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new DataAccessException("Could not run a transaction", e);
        }
    }

    /** Reads a {@code timestamptz} column; {@code null} stays {@code null}. */
    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    @FunctionalInterface
    private interface StatementWork<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    private <T> T execute(String sql, Object[] parameters, StatementWork<T> work) {
        try {
            if (transaction != null) {
                return execute(transaction, sql, parameters, work);
            }
            try (Connection connection = dataSource.getConnection()) {
                return execute(connection, sql, parameters, work);
            }
        } catch (SQLException e) {
            throw new DataAccessException("Statement failed: " + sql, e);
        }
    }

    private static <T> T execute(Connection connection, String sql, Object[] parameters, StatementWork<T> work)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                statement.setObject(
                        i + 1, parameter instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : parameter);
            }
            return work.run(statement);
        }
    }

    private static void rollback(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
