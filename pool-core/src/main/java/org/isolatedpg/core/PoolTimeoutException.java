package org.isolatedpg.core;

/**
 * No clone became ready within {@value ConfigKeys#POOL_ACQUIRE_TIMEOUT}. The message carries the pool's state and
 * the cause, where there is one, is the last failure to create a clone.
 *
 * @since 0.1
 */
public class PoolTimeoutException extends IsolatedPostgresException {

    private static final long serialVersionUID = 1L;

    public PoolTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
