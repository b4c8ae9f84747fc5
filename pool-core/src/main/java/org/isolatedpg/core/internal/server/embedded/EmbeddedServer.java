package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.ServerSettings;
import org.isolatedpg.core.internal.server.ManualAccess;
import org.isolatedpg.core.internal.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded server: PostgreSQL from zonky's binaries, in a {@link Cluster} that lives in
 * {@code <data-directory>/isolatedpg-<user>/cluster-<binaries>} (tmpfs where there is room), bound to 127.0.0.1 only,
 * with no Unix socket, a random superuser password and settings for tests. The JVMs of a build share it, and its
 * templates survive between runs; the last JVM to close stops it.
 */
public final class EmbeddedServer implements Server {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);

    /** Part of the cluster directory's name: a change in how clusters are made starts a new one. */
    private static final int CLUSTER_FORMAT = 2;

    private final Cluster cluster;
    private final boolean startedByThisJvm;
    private boolean closed; // guarded by this

    private EmbeddedServer(Cluster cluster) {
        this.cluster = cluster;
        this.startedByThisJvm = cluster.takeFreshStart();
    }

    /** Attaches to the user's embedded cluster, starting it if no JVM runs it. */
    public static EmbeddedServer start(ServerSettings settings) {
        long started = System.nanoTime();
        Path base = settings.dataDirectory().value().resolve("isolatedpg-" + System.getProperty("user.name"));
        PostmasterSettings postmaster = PostmasterSettings.of(settings.embeddedSettings());
        try {
            Path installation = Binaries.prepare(settings.cacheDirectory().value(), settings.binariesRepository());
            Path directory = clusterDirectory(base, installation);
            PrivateDirectories.create(base);
            Cluster cluster = AttachedClusters.attach(
                    directory,
                    key -> Cluster.open(
                            key,
                            new Commands(installation),
                            settings.startupTimeout().value(),
                            settings.keepRunning().value(),
                            postmaster),
                    open -> open.warnIfRunningOtherThan(postmaster));
            EmbeddedServer server = new EmbeddedServer(cluster);
            LOG.debug(
                    "Attached to {} in {} ms (cluster {})",
                    server.description(),
                    (System.nanoTime() - started) / 1_000_000,
                    directory);
            return server;
        } catch (IsolatedPostgresException e) {
            throw e;
        } catch (IOException | SQLException | RuntimeException e) {
            throw new IsolatedPostgresException(
                    "Could not start the embedded PostgreSQL server in " + base + ": " + e.getMessage() + "\n"
                            + hint(e, settings),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IsolatedPostgresException("Interrupted while starting the embedded PostgreSQL server", e);
        }
    }

    /**
     * Stops the embedded server the settings name, if it runs, refusing while JVMs are attached unless {@code force};
     * returns what was done, in a sentence.
     */
    public static String stop(ServerSettings settings, boolean force) {
        Path base = settings.dataDirectory().value().resolve("isolatedpg-" + System.getProperty("user.name"));
        try {
            Path installation = Binaries.prepare(settings.cacheDirectory().value(), settings.binariesRepository());
            Path directory = clusterDirectory(base, installation);
            if (!java.nio.file.Files.isDirectory(directory)) {
                return "No embedded cluster in " + directory + ": nothing to stop.";
            }
            return switch (Cluster.stop(
                    directory,
                    new Commands(installation),
                    settings.startupTimeout().value(),
                    force)) {
                case STOPPED -> "Stopped the embedded server in " + directory + (force ? " (forced)." : ".");
                case NOT_RUNNING -> "The embedded server in " + directory + " is not running.";
                case IN_USE ->
                    throw new IsolatedPostgresException("JVMs are attached to the embedded server in " + directory
                            + ": their tests would lose it. Stop them first, or stop it anyway with --force.");
            };
        } catch (IOException e) {
            throw new IsolatedPostgresException(
                    "Could not stop the embedded server in " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IsolatedPostgresException("Interrupted while stopping the embedded server", e);
        }
    }

    private static Path clusterDirectory(Path base, Path installation) {
        return base.resolve(
                installation.getFileName().toString().replace("postgres-", "cluster-" + CLUSTER_FORMAT + "-"));
    }

    private static String hint(Exception failure, ServerSettings settings) {
        if (String.valueOf(failure.getMessage()).contains("unshare:")) {
            return "PostgreSQL refuses to run as root, and this machine does not let us run it in a user namespace"
                    + " (unshare -U). Run the build as a non-root user.";
        }
        if (String.valueOf(failure.getMessage()).contains("parameter \"")
                && !settings.embeddedSettings().value().isEmpty()) {
            return "PostgreSQL refused a setting: check " + settings.embeddedSettings() + ".";
        }
        return "Check that the directory is writable and has room, or set '"
                + settings.dataDirectory().key() + "' (currently from "
                + settings.dataDirectory().source() + ").";
    }

    @Override
    public boolean startedByThisJvm() {
        return startedByThisJvm;
    }

    @Override
    public String host() {
        return Cluster.HOST;
    }

    @Override
    public int port() {
        return cluster.port();
    }

    @Override
    public String user() {
        return Cluster.USER;
    }

    @Override
    public String password() {
        return cluster.password();
    }

    @Override
    public String maintenanceDatabase() {
        return "postgres";
    }

    @Override
    public String description() {
        return "embedded PostgreSQL " + cluster.version() + " on " + Cluster.HOST + ":" + cluster.port();
    }

    /**
     * The password is in the cluster's {@code password} file (0600). The server stops when the last JVM leaves unless
     * it is to keep running: then the databases stay in the data directory, and starting the server by hand on the
     * same port makes the same commands work.
     */
    @Override
    public Optional<ManualAccess> manualAccess() {
        Path passwordFile = cluster.directory().resolve("password");
        String afterRun = cluster.keepsRunning()
                ? ""
                : "The embedded server stops when the last JVM using it ends ('" + ConfigKeys.EMBEDDED_KEEP_RUNNING
                        + "' is false); the database stays in " + Cluster.data(cluster.directory())
                        + " until the next run. To look at it then, start the server again on the same port: "
                        + ManualAccess.shellLine(cluster.startCommand()) + " (the next run stops it and starts its"
                        + " own), or set '" + ConfigKeys.EMBEDDED_KEEP_RUNNING + "' to true.";
        return Optional.of(new ManualAccess(passwordFile, "password in " + passwordFile, afterRun));
    }

    /** The cluster's directory, which outlives the server. */
    public Path clusterDirectory() {
        return cluster.directory();
    }

    /** The postmaster's process id. */
    public long pid() {
        try {
            return cluster.pid();
        } catch (IOException e) {
            throw new IsolatedPostgresException("The embedded server's postmaster.pid is unreadable", e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            AttachedClusters.detach(cluster);
        }
    }
}
