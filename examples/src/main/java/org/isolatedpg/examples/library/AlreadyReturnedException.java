package org.isolatedpg.examples.library;

import java.time.Instant;

/** A loan was returned a second time. */
public final class AlreadyReturnedException extends LibraryException {

    AlreadyReturnedException(long loanId, Instant returnedAt) {
        super("Loan " + loanId + " was already returned at " + returnedAt);
    }
}
