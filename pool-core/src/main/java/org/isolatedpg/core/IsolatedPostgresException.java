package org.isolatedpg.core;

/**
 * The root of every exception isolated-postgres throws. Its message says what failed, for what, the evidence and
 * what to do; the cause is attached.
 *
 * @since 0.1
 */
public class IsolatedPostgresException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IsolatedPostgresException(String message) {
        super(message);
    }

    public IsolatedPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
