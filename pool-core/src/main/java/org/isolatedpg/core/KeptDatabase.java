package org.isolatedpg.core;

/**
 * A test database kept on the server after its test failed, as the test left it, for a look (see
 * {@value ConfigKeys#KEEP_FAILED} and {@link TestDatabase#releaseAfterFailure(String)}). The next run drops it.
 *
 * @param name the database's name
 * @param test the test that failed, as its integration named it
 * @param psql a {@code psql} command that connects to it as the server's admin role, for a POSIX shell; it never
 *     contains the password, and reads it from its file where the server keeps one
 * @param jdbcUrl its JDBC URL, without credentials
 * @param access as whom to connect, and where the password is: {@code user postgres, password in /…/password}
 * @param afterRun what becomes of the server when the run ends, and how to reach the database then; empty when it
 *     stays reachable as it is
 * @since 0.1
 */
public record KeptDatabase(String name, String test, String psql, String jdbcUrl, String access, String afterRun) {}
