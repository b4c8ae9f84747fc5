package org.isolatedpg.examples.library;

/** A member may not borrow a book right now; {@link #reason()} says why. */
public final class LoanRefusedException extends LibraryException {

    /** Why a loan was refused. */
    public enum Reason {
        /** Every copy of the book is lent out. */
        NO_COPY_AVAILABLE,
        /** The member already holds {@value LoanService#MAX_OPEN_LOANS} loans. */
        LOAN_LIMIT_REACHED,
        /** The member is suspended. */
        MEMBER_SUSPENDED
    }

    private final Reason reason;

    LoanRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
