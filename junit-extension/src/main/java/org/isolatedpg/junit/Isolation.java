package org.isolatedpg.junit;

import org.isolatedpg.core.ConfigKeys;

/**
 * How long one test database lives.
 *
 * @since 0.1
 */
public enum Isolation {
    /** Use configuration key {@value ConfigKeys#ISOLATION}, which defaults to {@link #PER_METHOD}. */
    DEFAULT,
    /** A fresh database for every test method (every invocation of a repeated or parameterized test). */
    PER_METHOD,
    /**
     * One database shared by all test methods of the class, also available in {@code @BeforeAll} methods; each
     * {@code @Nested} class gets its own.
     */
    PER_CLASS
}
