package org.isolatedpg.core;

/**
 * The servers test classes share, as JUnit resource locks. Test classes run concurrently (most of their time is spent
 * waiting for PostgreSQL, a child JVM or a timeout); a class that uses one of these servers holds its lock, so that no
 * two such classes overlap on it, and its own tests run one after another. A class on a cluster of its own (a
 * {@code @TempDir} data directory) needs none.
 */
public final class SharedServers {

    /** The embedded cluster in the default data directory ({@link Configuration#fromSystem()}). */
    public static final String EMBEDDED_DEFAULT = "isolatedpg.embedded-default-cluster";

    /** The machine's PostgreSQL on 127.0.0.1:5432. */
    public static final String EXTERNAL = "isolatedpg.external-server";

    private SharedServers() {}
}
