package org.isolatedpg.core.internal.flyway;

import java.util.Optional;

/** A migration failed; carries the failing script (when Flyway got as far as one) and Flyway's exception. */
public final class MigrationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String script;

    MigrationFailedException(String script, Throwable cause) {
        super(cause.getMessage(), cause);
        this.script = script;
    }

    /** The script being applied when the migration failed; empty when Flyway failed before applying any. */
    public Optional<String> script() {
        return Optional.ofNullable(script);
    }
}
