package org.isolatedpg.core;

import java.util.List;

/**
 * A server with its admin role's credentials, for tests outside this package that need a real database but not a
 * pool: the template sources' tests, which create their own scratch databases. Closing it detaches from the server.
 */
public final class AdminAccess implements AutoCloseable {

    private final PostgresServer server;

    private AdminAccess(PostgresServer server) {
        this.server = server;
    }

    /** The embedded server (started, or attached to when another JVM runs it). */
    public static AdminAccess embedded() {
        return new AdminAccess(PostgresServer.start(Configuration.fromSystem().serverSettings()));
    }

    /** Whether the machine's PostgreSQL answers on 127.0.0.1:5432. */
    public static boolean externalAnswers() {
        return RolesOnExternalServerTests.answers();
    }

    /** The machine's PostgreSQL on 127.0.0.1:5432 (trust authentication), as {@link ExternalPostgres} attaches. */
    public static AdminAccess external() {
        return new AdminAccess(PostgresServer.start(
                Configuration.from(List.of(ConfigSource.of("test", RolesOnExternalServerTests.EXTERNAL)))
                        .serverSettings()));
    }

    public String jdbcUrl(String database) {
        return server.jdbcUrl(database);
    }

    public String user() {
        return server.attachment().server().user();
    }

    public String password() {
        return server.attachment().server().password();
    }

    @Override
    public void close() {
        server.close();
    }
}
