package org.isolatedpg.core;

/**
 * The template could not be built, usually because a migration failed. Every lease of that template fails with this
 * exception without running the migrations again.
 *
 * @since 0.1
 */
public class TemplateBuildException extends IsolatedPostgresException {

    private static final long serialVersionUID = 1L;

    public TemplateBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
