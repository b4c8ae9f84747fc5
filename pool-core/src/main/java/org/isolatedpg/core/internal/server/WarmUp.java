package org.isolatedpg.core.internal.server;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads and initialises, on a daemon thread, the classes a JVM's first connection, first pool and first template
 * lookup need, while the server starts: on a warm cache the first test otherwise waits for the JDBC driver, HikariCP
 * and Flyway to load one after another (measured, a first connection took over 300 ms, most of it class loading). The
 * classes are named, not imported: each library stays in its own package, and one that is not on the classpath is
 * skipped.
 */
public final class WarmUp {

    /** Entry points whose initialisation pulls in most of what their first use needs. */
    private static final List<String> CLASSES = List.of(
            "org.postgresql.Driver",
            "org.postgresql.core.v3.ConnectionFactoryImpl",
            "org.postgresql.core.v3.QueryExecutorImpl",
            "org.postgresql.jdbc.PgConnection",
            "org.postgresql.jdbc.PgStatement",
            "org.postgresql.jdbc.PgPreparedStatement",
            "org.postgresql.jdbc.PgResultSet",
            "org.postgresql.jdbc.PgDatabaseMetaData",
            "org.postgresql.core.v3.ScramAuthenticator",
            "org.postgresql.shaded.com.ongres.scram.client.ScramClient",
            "com.zaxxer.hikari.HikariConfig",
            "com.zaxxer.hikari.pool.HikariPool",
            "com.zaxxer.hikari.pool.HikariProxyConnection",
            "com.zaxxer.hikari.pool.HikariProxyPreparedStatement",
            "com.zaxxer.hikari.pool.HikariProxyResultSet",
            "org.flywaydb.core.Flyway",
            "org.flywaydb.core.api.configuration.FluentConfiguration");

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private WarmUp() {}

    /** Starts the warm-up, once per JVM; returns at once. */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        ClassLoader loader = WarmUp.class.getClassLoader();
        Thread thread = new Thread(
                () -> {
                    for (String name : CLASSES) {
                        try {
                            Class.forName(name, true, loader);
                        } catch (ClassNotFoundException | LinkageError e) {
                            // not on the classpath, or another version: its first use loads what it needs
                        }
                    }
                },
                "isolatedpg-warm-up");
        thread.setDaemon(true);
        thread.start();
    }
}
