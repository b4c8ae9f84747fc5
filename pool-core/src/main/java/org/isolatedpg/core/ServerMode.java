package org.isolatedpg.core;

/**
 * Where PostgreSQL comes from ({@value ConfigKeys#SERVER_MODE}).
 *
 * @since 0.1
 */
public enum ServerMode {
    /** PostgreSQL started by isolated-postgres from the binaries on the classpath, shared by the JVMs of a build. */
    EMBEDDED,
    /** An existing server, given by a JDBC URL or the libpq environment variables. */
    EXTERNAL,
    /** PostgreSQL in a Testcontainers container (needs a Docker engine and {@code org.testcontainers:testcontainers}). */
    CONTAINER
}
