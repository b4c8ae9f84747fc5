package org.isolatedpg.examples.library;

/** A rule of the library was broken; the message says which, in a librarian's words. */
public abstract class LibraryException extends RuntimeException {

    protected LibraryException(String message) {
        super(message);
    }

    protected LibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
