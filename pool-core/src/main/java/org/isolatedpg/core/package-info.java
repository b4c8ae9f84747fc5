/**
 * The public API of isolated-postgres without any test framework: a {@link org.isolatedpg.core.PostgresServer},
 * a {@link org.isolatedpg.core.TestDatabasePool} per template, and the {@link org.isolatedpg.core.TestDatabase}
 * each lease hands out.
 *
 * <p>Everything in this package is API; everything under {@code org.isolatedpg.core.internal} is not.
 */
package org.isolatedpg.core;
