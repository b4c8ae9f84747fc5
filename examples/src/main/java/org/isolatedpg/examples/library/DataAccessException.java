package org.isolatedpg.examples.library;

import java.sql.SQLException;

/** A database call failed for a reason the library has no rule for; the cause is the driver's exception. */
public class DataAccessException extends RuntimeException {

    /** PostgreSQL's SQLState for a unique constraint violation. */
    static final String UNIQUE_VIOLATION = "23505";

    private final String sqlState;

    DataAccessException(String message, SQLException cause) {
        super(message + " (SQLState " + cause.getSQLState() + "): " + cause.getMessage(), cause);
        this.sqlState = cause.getSQLState();
    }

    /** The SQLState PostgreSQL reported, such as {@code 23505} for a unique violation. */
    public String sqlState() {
        return sqlState;
    }
}
