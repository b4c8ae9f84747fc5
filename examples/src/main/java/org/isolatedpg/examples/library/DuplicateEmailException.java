package org.isolatedpg.examples.library;

/** A member registered with an email address another member already uses (ignoring case). */
public final class DuplicateEmailException extends LibraryException {

    DuplicateEmailException(String email, Throwable cause) {
        super("A member with email " + email + " is already registered", cause);
    }
}
