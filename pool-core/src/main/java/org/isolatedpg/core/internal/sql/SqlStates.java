package org.isolatedpg.core.internal.sql;

import java.sql.SQLException;
import java.util.Optional;

/** SQLSTATE classification: we decide on codes, never on message text. */
public final class SqlStates {

    public static final String DUPLICATE_DATABASE = "42P04";
    public static final String UNIQUE_VIOLATION = "23505";
    public static final String OBJECT_IN_USE = "55006";
    public static final String INVALID_CATALOG_NAME = "3D000";
    public static final String LOCK_NOT_AVAILABLE = "55P03";

    private SqlStates() {}

    /** Whether creating or renaming to a name failed because the name is taken (sequentially or in a race). */
    public static boolean isNameTaken(SQLException e) {
        return DUPLICATE_DATABASE.equals(e.getSQLState()) || UNIQUE_VIOLATION.equals(e.getSQLState());
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
}
