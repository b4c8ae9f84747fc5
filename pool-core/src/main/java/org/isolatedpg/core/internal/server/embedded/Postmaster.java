package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server of one cluster: adopts the one that runs if it proves its identity, or starts one on a free port, and
 * stops it. Called only under the attendance mutex (see {@link Attendance}).
 *
 * <p>Identity: every start sets {@code cluster_name} to {@code isolatedpg_<random nonce>} and writes the port and the
 * nonce to {@link ServerProperties}; a server is this cluster's only if it answers on that port, to our password, with
 * that name — a port can be taken by anyone once our server is gone. Invariants: a server this class starts is either
 * verified or stopped again before the start returns; nothing is signalled unless {@link PostmasterPid#livePostmaster}
 * vouches for it; every wait is bounded (the start-up timeout, {@link #STOP_TIMEOUT}, {@link #CONNECT_TIMEOUT}).
 */
final class Postmaster {

    private static final Logger LOG = LoggerFactory.getLogger(Postmaster.class);
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Bounds each step of an identity check: opening the socket, logging in, and the query. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Path directory;
    private final Path data;
    private final Programs programs;
    private final Duration timeout;
    private final String password;
    /** The settings this JVM asks for; the running server has them only if it was started with them. */
    private final PostmasterSettings settings;

    private int port;
    private String version = "?";
    private PostmasterSettings running;

    Postmaster(Path directory, Programs programs, Duration timeout, String password, PostmasterSettings settings) {
        this.directory = directory;
        this.data = Cluster.data(directory);
        this.programs = programs;
        this.timeout = timeout;
        this.password = password;
        this.settings = settings;
        this.running = settings;
    }

    /**
     * Takes over the running server, if it is the one {@link ServerProperties} names; false if none runs (any other is
     * stopped). A server that cannot prove itself is stopped only when no other JVM is attached; with others attached,
     * it is asked again until the start-up timeout (it may be recovering, or out of connections), never stopped under
     * them. A server that runs with other settings is restarted with ours when nobody else uses it, and kept when
     * somebody does.
     */
    boolean adopt(boolean alone) throws IOException, InterruptedException, SQLException {
        if (PostmasterPid.livePostmaster(data).isEmpty()) {
            PostmasterPid.removeIfForeign(data);
            return false;
        }
        Optional<ServerProperties> properties = ServerProperties.read(directory);
        if (properties.isPresent()) {
            port = properties.get().port();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    verify(properties.get().nonce());
                    running = properties.get().settings();
                    if (alone && !running.equals(settings)) {
                        LOG.debug(
                                "Restarting the embedded server in {} with other settings: {}",
                                data,
                                settings.differencesFrom(running));
                        break;
                    }
                    LOG.debug("Attached to the running embedded server on port {}", port);
                    return true;
                } catch (SQLException e) {
                    if (alone) {
                        LOG.debug(
                                "The running embedded server in {} did not prove its identity; restarting it", data, e);
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new SQLException(
                                "The embedded server in " + data + ", used by other JVMs, did not answer within "
                                        + timeout + " (SQLState " + e.getSQLState() + "): " + e.getMessage(),
                                e);
                    }
                    Thread.sleep(200); // other JVMs use it: wait for it rather than stop it under them
                }
            }
        } else if (!alone) {
            throw new IOException("The embedded server in " + data + " runs without server.properties while other JVMs"
                    + " are attached; stop it by hand (pg_ctl stop -D " + data + ")");
        }
        stop(); // running, but not as we know it, and nobody else uses it
        return false;
    }

    /** Starts the server on a free port, trying another when the port is taken before the server binds it. */
    void start() throws IOException, SQLException, InterruptedException {
        long started = System.nanoTime();
        String nonce = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        List<Integer> portsTried = new ArrayList<>();
        Path log = directory.resolve("postgres.log");
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int candidate = freePort();
            portsTried.add(candidate);
            Files.deleteIfExists(log);
            long launched = System.currentTimeMillis() / 1000;
            int exit = programs.exitCode(
                    "pg_ctl",
                    List.of(
                            "start",
                            "-D",
                            data.toString(),
                            "-W", // we wait ourselves, closer than pg_ctl's 100 ms steps
                            "-l",
                            log.toString(),
                            "-o",
                            postmasterOptions(candidate, nonce)));
            if (exit == 0 && readyOrStopped(log, candidate, nonce, started, launched)) {
                return;
            }
            awaitGone(); // a postmaster that failed its start is still exiting: none may outlive the attempt
            String tail = settings.masked(Files.exists(log) ? Files.readString(log) : "");
            if (exit == 0) {
                exit = 1; // launched, but the postmaster went away
            }
            if (!tail.contains("could not bind") && !tail.contains("could not create any TCP/IP sockets")) {
                throw new IOException("pg_ctl start failed with exit code " + exit + ":\n" + tail);
            }
            LOG.debug("Port {} was taken before the server could bind it; trying another", candidate);
        }
        throw new IOException(
                "The server could not bind a port after " + PORT_ATTEMPTS + " attempts (ports " + portsTried + ")");
    }

    /** The postmaster's command-line options ({@code pg_ctl -o}). */
    private String postmasterOptions(int port, String nonce) {
        return "-p " + port + " -c cluster_name=isolatedpg_" + nonce + settings.commandLine();
    }

    /**
     * Waits for the launched postmaster and proves its identity; false if it exited on its own. On any failure the
     * postmaster is stopped before the failure is thrown, so that no server is left running that nobody attached to.
     */
    private boolean readyOrStopped(Path log, int candidate, String nonce, long started, long launched)
            throws IOException, SQLException, InterruptedException {
        try {
            if (!awaitReady(log, candidate, launched)) {
                return false;
            }
            long ready = System.nanoTime();
            port = candidate;
            running = settings;
            new ServerProperties(port, nonce, settings).write(directory);
            verify(nonce);
            LOG.debug(
                    "Started the embedded server on port {} in {} ms (ready after {} ms)",
                    port,
                    (System.nanoTime() - started) / 1_000_000,
                    (ready - started) / 1_000_000);
            return true;
        } catch (IOException | SQLException | InterruptedException | RuntimeException e) {
            try {
                stop();
            } catch (IOException | InterruptedException | RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
    }

    /**
     * Waits, up to the start-up timeout, until no postmaster of this data directory is alive and its
     * {@code postmaster.pid} is gone: a postmaster that logged its FATAL has not necessarily exited yet.
     */
    private void awaitGone() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (PostmasterPid.livePostmaster(data).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(5); // PostgreSQL tells nothing else: its pid file and process are all there is to watch
        }
        if (PostmasterPid.livePostmaster(data).isEmpty()) {
            PostmasterPid.removeIfStale(data);
        }
    }

    /**
     * Waits until the postmaster says, in {@code postmaster.pid}, that it accepts connections; false if it exits
     * first. PostgreSQL tells readiness through that file only (it is what {@code pg_ctl -w} reads), so it is read
     * every few milliseconds, up to the start-up timeout.
     */
    private boolean awaitReady(Path log, int port, long launchedEpochSecond) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = PostmasterPid.lines(data);
            // A crashed postmaster leaves its file, saying "ready", until the new one rewrites it: only a file of this
            // launch (its port, started since) counts.
            boolean current = lines.size() >= 8
                    && lines.get(3).trim().equals(Integer.toString(port))
                    && lines.get(2).trim().matches("[0-9]{1,18}")
                    && Long.parseLong(lines.get(2).trim()) >= launchedEpochSecond;
            if (current && lines.get(7).trim().equals("ready")) {
                return true;
            }
            if (!current && Files.exists(log) && Files.readString(log).contains("FATAL")) {
                return false;
            }
            Thread.sleep(5);
        }
        throw new IOException("The server was not ready within " + timeout + ":\n"
                + settings.masked(Files.exists(log) ? Files.readString(log) : ""));
    }

    /** Makes sure the server on the port is this cluster's, not another one that answers there. */
    private void verify(String nonce) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", Cluster.USER);
        credentials.setProperty("password", password);
        String seconds = Long.toString(CONNECT_TIMEOUT.toSeconds());
        credentials.setProperty("connectTimeout", seconds);
        credentials.setProperty("loginTimeout", seconds);
        credentials.setProperty("socketTimeout", seconds);
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://" + Cluster.HOST + ":" + port + "/postgres", credentials);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT current_setting('cluster_name'), current_setting('server_version')")) {
            rows.next();
            if (!("isolatedpg_" + nonce).equals(rows.getString(1))) {
                throw new SQLException("The server on port " + port + " is not the one in " + data);
            }
            version = rows.getString(2);
        }
    }

    /**
     * Stops the server, if {@code postmaster.pid} names a live postmaster of this data directory, and waits for its
     * process to exit; one that has not exited {@link #STOP_TIMEOUT} after a fast shutdown is killed.
     */
    void stop() throws IOException, InterruptedException {
        Optional<ProcessHandle> postmaster = PostmasterPid.livePostmaster(data);
        if (postmaster.isPresent()) {
            programs.exitCode(
                    "pg_ctl",
                    List.of(
                            "stop",
                            "-D",
                            data.toString(),
                            "-w",
                            "-t",
                            Long.toString(STOP_TIMEOUT.toSeconds()),
                            "-m",
                            "fast"));
            if (!exited(postmaster.get(), STOP_TIMEOUT)) {
                LOG.warn(
                        "The embedded server (pid {}) did not exit within {} of being stopped; killing it",
                        postmaster.get().pid(),
                        STOP_TIMEOUT);
                postmaster.get().destroyForcibly(); // the handle checks the start time: never a recycled pid
                exited(postmaster.get(), STOP_TIMEOUT);
            }
        } else {
            LOG.debug("No postmaster of {} runs: nothing to stop", data);
        }
        ServerProperties.delete(directory);
    }

    private static boolean exited(ProcessHandle process, Duration timeout) throws InterruptedException {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(Cluster.HOST))) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    String version() {
        return version;
    }

    /** The settings the server runs with. */
    PostmasterSettings running() {
        return running;
    }
}
