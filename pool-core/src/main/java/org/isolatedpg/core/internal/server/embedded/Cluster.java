package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.isolatedpg.core.ConfigKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL cluster in a directory that outlives the JVM, shared by every JVM of the same user and binaries: the
 * forks of one build attach to one server, and the templates in it survive from run to run.
 *
 * <p>The cluster directory (private to the user, 0700) holds {@code data/}, the files of {@link Initdb} ({@code
 * password}, {@code initialized}), of {@link Attendance} ({@code cluster.lock}, {@code attached.lock}), of {@link
 * Postmaster} ({@code server.properties}, {@code postgres.log}) and the programs' logs.
 *
 * <p>A JVM opens the cluster under the attendance mutex: the cluster is made if it is not complete, and its server is
 * adopted if it runs and proves its identity — also when every JVM that used it died — or else started. The last JVM
 * to close it stops the server, unless {@code keep-running} is set. Within one JVM, {@link AttachedClusters} shares one
 * open cluster between all attachments.
 */
final class Cluster {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    static final String HOST = "127.0.0.1";
    static final String USER = "postgres";

    private final Path directory;
    private final Commands commands;
    private final Programs programs;
    private final Duration timeout;
    private final boolean keepRunning;
    private final PostmasterSettings settings;
    // set on arrival, before the cluster is handed out
    private String password;
    private Postmaster postmaster;
    private Attendance attendance;
    private boolean freshStart; // guarded by this: the server was started on arrival, and nobody has said so yet

    private Cluster(
            Path directory, Commands commands, Duration timeout, boolean keepRunning, PostmasterSettings settings) {
        this.directory = directory;
        this.commands = commands;
        this.programs = new Programs(commands, directory, timeout.plusSeconds(10));
        this.timeout = timeout;
        this.keepRunning = keepRunning;
        this.settings = settings;
    }

    /**
     * Opens the cluster in {@code directory}, making it and starting its server as needed. {@code timeout} bounds the
     * wait for the mutex, each program run and the server's start-up.
     */
    static Cluster open(
            Path directory, Commands commands, Duration timeout, boolean keepRunning, PostmasterSettings settings)
            throws IOException, SQLException, InterruptedException {
        PrivateDirectories.create(directory);
        Cluster cluster = new Cluster(directory, commands, timeout, keepRunning, settings);
        cluster.attendance = Attendance.join(directory, timeout, cluster::arrive);
        return cluster;
    }

    private void arrive(boolean alone) throws IOException, SQLException, InterruptedException {
        password = Initdb.ensure(directory, programs);
        postmaster = new Postmaster(directory, programs, timeout, password, settings);
        if (postmaster.adopt(alone)) {
            warnIfRunningOtherThan(settings);
        } else {
            postmaster.start();
            freshStart = true;
        }
    }

    /** What {@link #stop} found and did. */
    enum Stopped {
        STOPPED,
        NOT_RUNNING,
        IN_USE
    }

    /**
     * Stops the server of the cluster in {@code directory}, under the mutex, unless JVMs are attached to it (then
     * {@link Stopped#IN_USE}, and nothing is done) or {@code force} is given (then their tests lose their server).
     */
    static Stopped stop(Path directory, Commands commands, Duration timeout, boolean force)
            throws IOException, InterruptedException {
        try (java.nio.channels.FileLock mutex = Mutex.lock(directory.resolve("cluster.lock"), timeout);
                java.nio.channels.FileChannel attendance = java.nio.channels.FileChannel.open(
                        directory.resolve("attached.lock"),
                        java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.READ,
                        java.nio.file.StandardOpenOption.WRITE)) {
            boolean attached;
            try (java.nio.channels.FileLock alone = attendance.tryLock()) {
                attached = alone == null;
            } catch (java.nio.channels.OverlappingFileLockException e) {
                attached = true; // this very JVM is attached
            }
            if (attached && !force) {
                return Stopped.IN_USE;
            }
            if (PostmasterPid.livePostmaster(data(directory)).isEmpty()) {
                return Stopped.NOT_RUNNING;
            }
            new Postmaster(
                            directory,
                            new Programs(commands, directory, timeout.plusSeconds(10)),
                            timeout,
                            "",
                            PostmasterSettings.of(new org.isolatedpg.core.Setting<>(
                                    ConfigKeys.EMBEDDED_SETTINGS, Map.of(), "default")))
                    .stop();
            return Stopped.STOPPED;
        }
    }

    /**
     * Whether the server was started by this cluster's arrival, told once: to the first attachment of this JVM, whose
     * janitor then knows nobody can have been alive on it from before.
     */
    synchronized boolean takeFreshStart() {
        boolean fresh = freshStart;
        freshStart = false;
        return fresh;
    }

    /**
     * Warns when the server runs with other settings than {@code asked}, which apply only when it restarts: another
     * attachment of this JVM, or another JVM, started it.
     */
    void warnIfRunningOtherThan(PostmasterSettings asked) {
        String differences = asked.differencesFrom(postmaster.running());
        if (!differences.isEmpty()) {
            LOG.warn(
                    "The embedded server in {} runs with other settings than '{}' asks for, which apply only when it"
                            + " restarts (it is shared with other JVMs or tests): {}",
                    directory,
                    ConfigKeys.EMBEDDED_SETTINGS,
                    differences);
        }
    }

    /** Leaves the cluster; the last JVM to leave stops its server, unless it is to keep running. Never throws. */
    void close() {
        try {
            attendance.leave(() -> {
                if (!keepRunning) {
                    postmaster.stop();
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not detach cleanly from the embedded server in {}", directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the last JVM to leave leaves the server running ({@link ConfigKeys#EMBEDDED_KEEP_RUNNING}); otherwise
     * it stops it.
     */
    boolean keepsRunning() {
        return keepRunning;
    }

    /**
     * The command that starts the server again by hand, once it stopped, on the port it has now: {@code pg_ctl start}
     * on the data directory, its log in {@code postgres.log}. The next run that finds it running without
     * {@code server.properties} stops it and starts its own.
     */
    List<String> startCommand() {
        return commands.of(
                "pg_ctl",
                List.of(
                        "start",
                        "-D",
                        data(directory).toString(),
                        "-l",
                        directory.resolve("postgres.log").toString(),
                        "-o",
                        "-p " + port()));
    }

    /** The data directory of the cluster in {@code directory}. */
    static Path data(Path directory) {
        return directory.resolve("data");
    }

    int port() {
        return postmaster.port();
    }

    String password() {
        return password;
    }

    String version() {
        return postmaster.version();
    }

    Path directory() {
        return directory;
    }

    /** The postmaster's process id, from {@code postmaster.pid}. */
    long pid() throws IOException {
        return PostmasterPid.pid(data(directory));
    }
}
