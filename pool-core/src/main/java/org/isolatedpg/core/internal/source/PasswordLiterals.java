package org.isolatedpg.core.internal.source;

import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Keeps the passwords of a migration's {@code CREATE USER … PASSWORD '…'} out of a failure's messages and logs.
 * PostgreSQL echoes the statement when it fails inside PL/pgSQL ({@code Where: SQL statement "…"}), Flyway puts the
 * failing statement into its exception's message when its own DEBUG logging is on, and Liquibase puts it into its
 * ({@code [Failed SQL: …]}) and logs every statement it runs; any of them would carry the password into the test
 * report. Shared by the sources that run users' SQL.
 */
public final class PasswordLiterals {

    /** {@code PASSWORD '…'} (also {@code ENCRYPTED PASSWORD}), the literal with its doubled quotes. */
    private static final Pattern LITERAL = Pattern.compile("(?i)(PASSWORD\\s+)'(?:[^']|'')*'");

    private PasswordLiterals() {}

    /** The text with every password literal replaced by {@code '<redacted>'}; {@code null} stays {@code null}. */
    public static String redact(String text) {
        return text == null ? null : LITERAL.matcher(text).replaceAll("$1'<redacted>'");
    }

    /**
     * The failure itself when no message in its chain holds a password literal; otherwise a copy of its first
     * SQLException (message redacted; SQLSTATE, vendor code and stack kept), without the chain that held it.
     */
    public static Throwable scrub(Throwable failure) {
        boolean found = false;
        SQLException sql = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            found |= t.getMessage() != null && LITERAL.matcher(t.getMessage()).find();
            if (sql == null && t instanceof SQLException first) {
                sql = first;
            }
        }
        if (!found) {
            return failure;
        }
        Throwable source = sql != null ? sql : failure;
        Throwable copy = sql != null
                ? new SQLException(redact(sql.getMessage()), sql.getSQLState(), sql.getErrorCode())
                : new IllegalStateException(redact(failure.getMessage()));
        copy.setStackTrace(source.getStackTrace());
        return copy;
    }
}
