package org.isolatedpg.core.internal.source;

import java.util.Optional;

/**
 * A source failed while it was applied: carries the step being applied (a migration's script, a changeset, a script
 * and its line) when the source got as far as one, and the underlying failure.
 */
public final class SourceFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String step;

    public SourceFailedException(String step, Throwable cause) {
        super(cause.getMessage(), cause);
        this.step = step;
    }

    /** The step being applied when the source failed; empty when it failed before the first. */
    public Optional<String> step() {
        return Optional.ofNullable(step);
    }
}
