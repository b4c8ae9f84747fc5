package org.isolatedpg.core;

/**
 * A configuration value that cannot be used. The message names the key, the value, where it came from and the
 * accepted form.
 *
 * @since 0.1
 */
public class InvalidConfigurationException extends IsolatedPostgresException {

    private static final long serialVersionUID = 1L;

    public InvalidConfigurationException(String message) {
        super(message);
    }

    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
