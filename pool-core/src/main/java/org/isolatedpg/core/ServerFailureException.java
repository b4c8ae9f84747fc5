package org.isolatedpg.core;

/**
 * The server, or the way to it, failed: a connection lost or refused, the server restarting or crashed, out of disk
 * or connections, a lock timeout. The environment's fault, not the migrations': unlike a
 * {@link TemplateBuildException} it is never remembered, and the next lease tries again.
 *
 * @since 0.2
 */
public class ServerFailureException extends IsolatedPostgresException {

    private static final long serialVersionUID = 1L;

    public ServerFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
