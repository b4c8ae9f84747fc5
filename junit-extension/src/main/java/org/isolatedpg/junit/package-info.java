/**
 * {@link org.isolatedpg.junit.IsolatedPostgres @IsolatedPostgres}: a real, fully migrated PostgreSQL database for
 * every JUnit Jupiter test. Intended for test authors.
 */
package org.isolatedpg.junit;
