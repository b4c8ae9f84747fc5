package org.isolatedpg.core.internal.source;

import java.util.Optional;

/**
 * A source failed while it was applied: carries the step being applied (a migration's script, a changeset, a script
 * and its line) when the source got as far as one, and the underlying failure.
 */
public final class SourceFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String step;

    /** Password literals in the cause's messages are redacted, whichever source failed (see {@link PasswordLiterals}). */
    public SourceFailedException(String step, Throwable cause) {
        super(PasswordLiterals.redact(cause.getMessage()), PasswordLiterals.scrub(cause));
        this.step = step;
    }

    /** The step being applied when the source failed; empty when it failed before the first. */
    public Optional<String> step() {
        return Optional.ofNullable(step);
    }
}
