package org.isolatedpg.core;

import java.util.List;
import org.isolatedpg.core.internal.attachment.Attachment;

/**
 * A PostgreSQL server that test databases are made on. {@link #start(ServerSettings)} starts an embedded server from
 * the PostgreSQL binaries on the classpath (no Docker, nothing installed), or attaches to an external server or a
 * container. Close it at the end of the run: this JVM's session ends, and an embedded server no other JVM uses is
 * stopped. Its data directory, with the templates in it, stays for the next run.
 *
 * <p>Intended for test-framework integrations and for tests that use pool-core directly. Thread-safe.
 *
 * @since 0.1
 */
public final class PostgresServer implements AutoCloseable {

    private final Attachment attachment;

    private PostgresServer(Attachment attachment) {
        this.attachment = attachment;
    }

    /**
     * Starts (or attaches to) the server the settings name: the embedded one, an external one, or a container. In the
     * background, databases left by JVMs that died are dropped, and templates unused for longer than
     * {@value ConfigKeys#TEMPLATE_RETENTION} are collected.
     *
     * @throws ServerFailureException when the server cannot be started or reached
     */
    public static PostgresServer start(ServerSettings settings) {
        return new PostgresServer(Attachment.start(settings));
    }

    /** {@code "embedded PostgreSQL 18.6 on 127.0.0.1:54012"}; never contains a password. */
    public String description() {
        return attachment.server().description();
    }

    /** The server's major version, such as 18. */
    public int majorVersion() {
        return attachment.majorVersion();
    }

    /** A JDBC URL of a database on this server, without credentials. */
    public String jdbcUrl(String database) {
        return attachment.server().jdbcUrl(database);
    }

    /**
     * This attachment's identity on the server: 8 hex digits, carried in the names of the databases it creates, so
     * that what a dead JVM left can be told apart.
     */
    public String owner() {
        return attachment.owner();
    }

    /**
     * The databases of failed tests this attachment keeps for a look, newest first, with how to connect to each (see
     * {@link TestDatabase#releaseAfterFailure(String)}); they stay after {@link #close()}, until the next run drops
     * them.
     *
     * @since 0.1
     */
    public List<KeptDatabase> keptDatabases() {
        return attachment.keptClones().list();
    }

    /** The internal part this façade stands for; for {@link TestDatabasePool} only. */
    Attachment attachment() {
        return attachment;
    }

    /** Ends this JVM's session on the server and, for the embedded server, stops it if no other JVM uses it. */
    @Override
    public void close() {
        attachment.close();
    }

    @Override
    public String toString() {
        return "PostgresServer[" + description() + "]";
    }
}
