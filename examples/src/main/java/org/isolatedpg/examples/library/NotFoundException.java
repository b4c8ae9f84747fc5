package org.isolatedpg.examples.library;

/** A member, book or loan that does not exist was asked for. */
public final class NotFoundException extends LibraryException {

    private NotFoundException(String message) {
        super(message);
    }

    static NotFoundException member(long memberId) {
        return new NotFoundException("No member with id " + memberId);
    }

    static NotFoundException book(long bookId) {
        return new NotFoundException("No book with id " + bookId);
    }

    static NotFoundException loan(long loanId) {
        return new NotFoundException("No loan with id " + loanId);
    }
}
