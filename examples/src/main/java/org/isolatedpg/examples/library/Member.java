package org.isolatedpg.examples.library;

/**
 * A member of the library.
 *
 * @param suspended whether the member is barred from borrowing
 */
public record Member(long id, String name, String email, boolean suspended) {}
