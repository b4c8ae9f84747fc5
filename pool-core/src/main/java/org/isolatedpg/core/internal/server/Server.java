package org.isolatedpg.core.internal.server;

import java.util.Optional;

/**
 * A running PostgreSQL server that isolated-postgres may create databases on, through an admin role.
 *
 * <p>Implementations never put the password into {@link #description()}, {@link #jdbcUrl(String)} or a message.
 */
public interface Server extends AutoCloseable {

    String host();

    int port();

    /** The admin role, which creates and drops databases (a superuser on the embedded server). */
    String user();

    String password();

    /** The database the admin connects to for DDL; never cloned or dropped. */
    String maintenanceDatabase();

    /** For messages: {@code "embedded PostgreSQL 18.6 on 127.0.0.1:54012"}. */
    String description();

    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /**
     * Whether this JVM has just started the server itself (it was not running): then no other JVM can have been
     * attached to it before, which the janitor uses to skip its restart grace.
     */
    default boolean startedByThisJvm() {
        return false;
    }

    /**
     * What a person needs to connect to this server by hand as its admin; empty when nobody outside this JVM can (a
     * container's password is random, and the container goes with the run).
     */
    default Optional<ManualAccess> manualAccess() {
        return Optional.empty();
    }

    /** Stops the server if this JVM started it, and removes what it left. Never throws. */
    @Override
    void close();
}
