package org.isolatedpg.core.internal.sql;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Optional;

/**
 * SQLSTATE classification: we decide on codes, never on message text.
 *
 * <p>A failure is either the <em>environment's</em> — the server or the way to it: connection lost or refused, the
 * server starting, stopping or crashed, out of disk, memory or connections, a lock or statement timeout, a deadlock —
 * which the next attempt may not meet, or anything else, which would recur (a migration's own error: syntax, a
 * constraint, a missing object, a Java migration's exception).
 */
public final class SqlStates {

    public static final String DUPLICATE_DATABASE = "42P04";
    public static final String DUPLICATE_OBJECT = "42710";
    public static final String UNIQUE_VIOLATION = "23505";
    public static final String OBJECT_IN_USE = "55006";
    public static final String INVALID_CATALOG_NAME = "3D000";
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    public static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";
    public static final String INSUFFICIENT_PRIVILEGE = "42501";

    private SqlStates() {}

    /**
     * Whether creating or renaming to a name failed because the name is taken (sequentially or in a race): a database's
     * (42P04) or a role's (42710), or either in a race (23505).
     */
    public static boolean isNameTaken(SQLException e) {
        return DUPLICATE_DATABASE.equals(e.getSQLState())
                || DUPLICATE_OBJECT.equals(e.getSQLState())
                || UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    /**
     * Whether a failure anywhere in the cause chain is the environment's: SQLState classes 08 (connection), 53
     * (insufficient resources), 57P (operator intervention: shutdown, crash, starting up), 58 (system error), 55P03
     * (lock timeout), 40P01 (deadlock), 55006 (object in use), 57014 (statement timeout or cancel); or a failure to
     * reach the server at all (an I/O error, a connection timeout) without an SQLState.
     */
    public static boolean isEnvironmental(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && isEnvironmental(sql.getSQLState())) {
                return true;
            }
            if (t instanceof IOException || t instanceof SQLTransientException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static boolean isEnvironmental(String state) {
        return state.startsWith("08")
                || state.startsWith("53")
                || state.startsWith("57P")
                || state.startsWith("58")
                || state.equals(LOCK_NOT_AVAILABLE)
                || state.equals("40P01")
                || state.equals(OBJECT_IN_USE)
                || state.equals("57014");
    }

    /** Whether the connection itself is gone (class 08, or the server ended the session: 57P01–57P03). */
    public static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    /** The first SQLException in a cause chain, for its SQLSTATE. */
    public static Optional<SQLException> findSqlException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return Optional.of(sql);
            }
        }
        return Optional.empty();
    }

    /** {@code "SQLState 57P01: terminating connection due to administrator command"}, for messages. */
    public static String describe(Throwable failure) {
        return findSqlException(failure)
                .map(sql -> "SQLState " + sql.getSQLState() + ": " + firstLine(sql.getMessage()))
                .orElseGet(() -> failure.getClass().getSimpleName() + ": " + firstLine(failure.getMessage()));
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
