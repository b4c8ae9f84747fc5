package org.isolatedpg.core;

/**
 * The template could not be built because of the migrations themselves: a syntax error, a constraint, a missing
 * object, a Java migration's exception. It would fail again, so it is remembered: every later lease of that template
 * fails with this exception at once, without running the migrations again. A failure of the environment during a
 * build is a {@link ServerFailureException} instead.
 *
 * @since 0.1
 */
public class TemplateBuildException extends IsolatedPostgresException {

    private static final long serialVersionUID = 1L;

    public TemplateBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
