package org.isolatedpg.core;

import javax.sql.DataSource;

/**
 * A clone of the template, leased to one test: a real PostgreSQL database nobody else uses.
 *
 * <p>Close it when the test is done: its connections are closed, any connection still open is terminated and
 * reported, and the clone is dropped and replaced in the background.
 *
 * <pre>{@code
 * try (TestDatabase db = pool.lease()) {
 *     try (Connection c = db.dataSource().getConnection()) { ... }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface TestDatabase extends AutoCloseable {

    /** The database's name on the server. */
    String name();

    /** A JDBC URL of the database, without credentials; it keeps the server URL's other parameters ({@code sslmode}). */
    String jdbcUrl();

    /** The user to connect as. */
    String username();

    /** The password to connect with. Never logged by isolated-postgres. */
    String password();

    /** A pooled {@link DataSource} (HikariCP) on this database, closed when the lease is released. */
    DataSource dataSource();

    /**
     * Gives the clone back: closes the data source, terminates and reports connections still open, and has the clone
     * dropped and replaced in the background. Calling it again does nothing and returns the first report.
     */
    ReleaseReport release();

    /**
     * Gives the clone back after its test failed: as {@link #release()}, except that the clone is kept on the server
     * as the test left it, for a look — the newest {@value ConfigKeys#KEEP_FAILED} of the run (default 5), over all
     * pools on the server; when one more is kept, the oldest is dropped. A warning names it with a {@code psql}
     * command and its JDBC URL (never the password), and {@link PostgresServer#keptDatabases()} lists it; closing the
     * pool or the server leaves it, and the next run drops it. Connections the test opened on the database's URL
     * itself are reported, and left open. With {@value ConfigKeys#KEEP_FAILED} {@code 0}, or on a container, it is the
     * same as {@link #release()}. Calling it again, or after {@link #release()}, does nothing and
     * returns the first report.
     *
     * @param test the test that failed, for the warning and the report: {@code com.acme.OrderTests#placesOrder}
     * @since 0.1
     */
    ReleaseReport releaseAfterFailure(String test);

    /** Same as {@link #release()}. */
    @Override
    default void close() {
        release();
    }
}
