package org.isolatedpg.examples.library;

/** The rows every test database starts with, from {@code V4__seed_library.sql}. */
final class SeedData {

    static final long ADA = 1;
    static final long GRACE = 2;
    static final long ALAN = 3;
    /** Suspended. */
    static final long EDSGER = 4;

    /** Three copies. */
    static final long INTRODUCTION_TO_ALGORITHMS = 1;
    /** Two copies. */
    static final long DESIGN_PATTERNS = 2;
    /** Two copies. */
    static final long EFFECTIVE_JAVA = 3;
    /** One copy, lent to Grace and two weeks overdue. */
    static final long JAVA_CONCURRENCY_IN_PRACTICE = 4;
    /** One copy, on the shelf. */
    static final long MYTHICAL_MAN_MONTH = 5;

    private SeedData() {}
}
