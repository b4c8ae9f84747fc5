package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.isolatedpg.core.ConfigKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL cluster in a directory that outlives the JVM, shared by every JVM of the same user and binaries: the
 * forks of one build attach to one server, and the templates in it survive from run to run.
 *
 * <p>The protocol, in the cluster directory (private to the user, 0700):
 *
 * <ul>
 *   <li>{@code cluster.lock} is a mutex: a JVM holds its exclusive lock while it attaches or detaches, so starting,
 *       adopting and stopping the server never interleave.
 *   <li>{@code attached.lock} is the attendance: every attached JVM holds a shared lock on it. The operating system
 *       drops a dead JVM's lock (kill -9, IDE stop), so "nobody else is attached" is exactly "an exclusive lock on it
 *       can be had".
 *   <li>{@code server.properties} names the running server's port and its identity nonce ({@code cluster_name}), and
 *       {@code password} (0600) the superuser password set at initdb.
 * </ul>
 *
 * <p>A JVM attaches under the mutex: if the server runs and proves its identity, it is adopted — also when every JVM
 * that used it died; otherwise it is started (after initdb on first use). The last JVM to detach stops it, unless
 * {@code keep-running} is set. Within one JVM, attachments are counted in {@link #ATTACHED}, the one JVM-wide registry,
 * since a JVM cannot hold two locks on one file.
 */
final class Cluster {

    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    static final String HOST = "127.0.0.1";
    static final String USER = "postgres";
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /** Clusters this JVM is attached to, by directory; guarded by itself. */
    private static final Map<Path, Cluster> ATTACHED = new HashMap<>();

    private final Path directory;
    private final Path data;
    private final Commands commands;
    private final Duration timeout;
    private final boolean keepRunning;
    private final PostmasterSettings settings;
    private final Thread shutdownHook;
    private int references; // guarded by ATTACHED
    private FileChannel attendance;
    private FileLock attendanceLock;
    private String password;
    private int port;
    private String version = "?";
    /** The settings of the running server: ours if this JVM started it. */
    private PostmasterSettings running;

    private Cluster(
            Path directory, Commands commands, Duration timeout, boolean keepRunning, PostmasterSettings settings) {
        this.directory = directory;
        this.data = directory.resolve("data");
        this.commands = commands;
        this.timeout = timeout;
        this.keepRunning = keepRunning;
        this.settings = settings;
        this.shutdownHook = new Thread(this::detachAll, "isolatedpg-embedded-shutdown");
    }

    /**
     * Attaches to the cluster in {@code directory}, starting its server with {@code settings} if nobody runs it. A
     * server that runs with other settings is restarted with these when nobody else uses it, and kept (with a warning)
     * when somebody does.
     */
    static Cluster attach(
            Path directory, Commands commands, Duration timeout, boolean keepRunning, PostmasterSettings settings)
            throws IOException, SQLException, InterruptedException {
        Path key = directory.toAbsolutePath().normalize();
        synchronized (ATTACHED) {
            Cluster cluster = ATTACHED.get(key);
            if (cluster == null) {
                cluster = new Cluster(key, commands, timeout, keepRunning, settings);
                cluster.open();
                ATTACHED.put(key, cluster);
                Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
            } else {
                warnIfDifferent(settings, cluster.running, key);
            }
            cluster.references++;
            return cluster;
        }
    }

    /**
     * Gives up one attachment; the last one of the last JVM stops the server. Never throws. Closes under the registry's
     * monitor, so that no attach of this JVM runs meanwhile: a JVM cannot hold two locks on one file, and closing any
     * channel of a file drops all the process's locks on it.
     */
    void detach() {
        synchronized (ATTACHED) {
            if (--references > 0) {
                return;
            }
            ATTACHED.remove(directory);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook itself is running
            }
            close();
        }
    }

    private static void warnIfDifferent(PostmasterSettings asked, PostmasterSettings running, Path directory) {
        String differences = asked.differencesFrom(running);
        if (!differences.isEmpty()) {
            LOG.warn(
                    "The embedded server in {} runs with other settings than '{}' asks for, which apply only when it"
                            + " restarts (it is shared with other JVMs or tests): {}",
                    directory,
                    ConfigKeys.EMBEDDED_SETTINGS,
                    differences);
        }
    }

    private void detachAll() {
        synchronized (ATTACHED) {
            if (ATTACHED.remove(directory) == null) {
                return;
            }
            references = 0;
            close();
        }
    }

    private void open() throws IOException, SQLException, InterruptedException {
        PrivateDirectories.create(directory);
        try (FileLock mutex = Mutex.lock(directory.resolve("cluster.lock"), timeout)) {
            attendance = FileChannel.open(
                    directory.resolve("attached.lock"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                boolean alone;
                try (FileLock probe = attendance.tryLock(0, Long.MAX_VALUE, false)) {
                    alone = probe != null;
                }
                attendanceLock = attendance.lock(0, Long.MAX_VALUE, true);
                if (!Files.exists(directory.resolve("initialized")) || !Files.exists(directory.resolve("password"))) {
                    initdb();
                }
                password = Files.readString(directory.resolve("password"), StandardCharsets.UTF_8);
                if (!adopt(alone)) {
                    start();
                }
            } catch (IOException | SQLException | InterruptedException | RuntimeException e) {
                attendance.close(); // releases the attendance lock too
                throw e;
            }
        }
    }

    private void initdb() throws IOException, InterruptedException {
        long started = System.nanoTime();
        PrivateDirectories.deleteRecursively(data);
        Files.deleteIfExists(directory.resolve("initialized"));
        Path passwordFile = directory.resolve("password");
        Files.deleteIfExists(passwordFile);
        Files.createFile(
                passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        Files.writeString(passwordFile, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        run(
                "initdb",
                List.of(
                        "-D",
                        data.toString(),
                        "-U",
                        USER,
                        "--auth=scram-sha-256",
                        "--pwfile=" + passwordFile,
                        "--encoding=UTF-8",
                        "--locale=C",
                        "--no-sync",
                        // The password is random and 192 bits long: no number of hash iterations adds to that, but
                        // the default 4096 cost ~10 ms of CPU on every connection, and tests open many.
                        "-c",
                        "scram_iterations=1"));
        // Settings for tests: durability is worth nothing in a test cluster, speed is.
        Files.writeString(
                data.resolve("postgresql.conf"),
                String.join(
                        "\n",
                        "",
                        "# isolated-postgres",
                        "listen_addresses = '" + HOST + "'",
                        "unix_socket_directories = ''",
                        "fsync = off",
                        "synchronous_commit = off",
                        "full_page_writes = off",
                        "max_connections = 300",
                        "lc_messages = 'C'",
                        ""),
                StandardOpenOption.APPEND);
        Files.createFile(directory.resolve("initialized"));
        LOG.debug("Initialised the embedded cluster {} in {} ms", data, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Takes over the running server, if it is the one the properties name. A server that cannot prove it is restarted
     * only when no other JVM is attached; with others attached, it is retried (it may be recovering, or out of
     * connections) and never stopped under them.
     */
    private boolean adopt(boolean alone) throws IOException, InterruptedException, SQLException {
        Path propertiesFile = directory.resolve("server.properties");
        if (status() != 0) {
            return false;
        }
        if (!postmasterIsOurs()) {
            // A crashed postmaster's pid file, naming a PID since reused by another process: pg_ctl would signal that
            // process. The file is stale, and PostgreSQL would refuse to start while its PID lives.
            LOG.debug("postmaster.pid in {} names a process that is not its postmaster; removing the stale file", data);
            Files.deleteIfExists(data.resolve("postmaster.pid"));
            return false;
        }
        if (Files.exists(propertiesFile)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(propertiesFile)) {
                properties.load(in);
            }
            port = Integer.parseInt(properties.getProperty("port"));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    verify(properties.getProperty("nonce"));
                    running = PostmasterSettings.load(properties);
                    if (alone && !running.equals(settings)) {
                        LOG.debug(
                                "Restarting the embedded server in {} with other settings: {}",
                                data,
                                settings.differencesFrom(running));
                        break;
                    }
                    warnIfDifferent(settings, running, directory);
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
                                "The embedded server in " + data + ", used by other JVMs, did not answer" + " within "
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
        pgCtl("stop", "-m", "fast"); // running, but not as we know it, and nobody else uses it
        return false;
    }

    private void start() throws IOException, SQLException, InterruptedException {
        long started = System.nanoTime();
        String nonce = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        List<Integer> portsTried = new ArrayList<>();
        Path log = directory.resolve("postgres.log");
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int candidate = freePort();
            portsTried.add(candidate);
            Files.deleteIfExists(log);
            long launched = System.currentTimeMillis() / 1000;
            int exit = runForExit(
                    "pg_ctl",
                    List.of(
                            "start",
                            "-D",
                            data.toString(),
                            "-W", // we wait ourselves, closer than pg_ctl's 100 ms steps
                            "-l",
                            log.toString(),
                            "-o",
                            "-p " + candidate + " -c cluster_name=isolatedpg_" + nonce + settings.commandLine()));
            if (exit == 0 && awaitReady(log, candidate, launched)) {
                port = candidate;
                Properties properties = new Properties();
                properties.setProperty("port", Integer.toString(port));
                properties.setProperty("nonce", nonce);
                settings.store(properties);
                running = settings;
                try (OutputStream out = Files.newOutputStream(directory.resolve("server.properties"))) {
                    properties.store(out, "isolated-postgres: the running embedded server");
                }
                long ready = System.nanoTime();
                verify(nonce);
                LOG.debug(
                        "Started the embedded server on port {} in {} ms (ready after {} ms)",
                        port,
                        (System.nanoTime() - started) / 1_000_000,
                        (ready - started) / 1_000_000);
                return;
            }
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

    /**
     * Waits until the postmaster says, in {@code postmaster.pid}, that it accepts connections; false if it exits
     * first. PostgreSQL tells readiness through that file only (it is what {@code pg_ctl -w} reads), so it is read
     * every few milliseconds, up to the start-up timeout.
     */
    private boolean awaitReady(Path log, int port, long launchedEpochSecond) throws IOException, InterruptedException {
        Path pidFile = data.resolve("postmaster.pid");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.exists(pidFile) ? readLines(pidFile) : List.of();
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
                + (Files.exists(log) ? Files.readString(log) : ""));
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of(); // being rewritten by the postmaster
        }
    }

    /**
     * Whether the process {@code postmaster.pid} names runs on this data directory. PIDs are reused: after a crash
     * the file may name any process. Where the system does not tell a process's command line, trust the file, as
     * pg_ctl does.
     */
    private boolean postmasterIsOurs() throws IOException {
        Optional<ProcessHandle> process = ProcessHandle.of(pid());
        return process.isPresent()
                && process.get()
                        .info()
                        .commandLine()
                        .map(line -> line.contains(data.toString()))
                        .orElse(true);
    }

    /** Makes sure the server on the port is this cluster's, not another one that answers there. */
    private void verify(String nonce) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", USER);
        credentials.setProperty("password", password);
        credentials.setProperty("connectTimeout", "10");
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://" + HOST + ":" + port + "/postgres", credentials);
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

    /** Releases this JVM's attendance and, if no other JVM is attached, stops the server. */
    private void close() {
        try (FileLock mutex = Mutex.lock(directory.resolve("cluster.lock"), timeout)) {
            attendanceLock.release();
            attendance.close();
            try (FileChannel channel = FileChannel.open(
                            directory.resolve("attached.lock"), StandardOpenOption.READ, StandardOpenOption.WRITE);
                    FileLock alone = channel.tryLock()) {
                if (alone != null && !keepRunning) {
                    stop();
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not detach cleanly from the embedded server in {}", directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server and waits for the postmaster to be gone (pg_ctl returns when its pid file is). */
    private void stop() throws IOException, InterruptedException {
        long pid = Files.exists(data.resolve("postmaster.pid")) ? pid() : -1;
        pgCtl("stop", "-m", "fast");
        Files.deleteIfExists(directory.resolve("server.properties"));
        ProcessHandle.of(pid).ifPresent(postmaster -> awaitExit(postmaster, STOP_TIMEOUT));
    }

    private static void awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("The embedded server (pid {}) did not exit within {} of being stopped", process.pid(), timeout);
        }
    }

    /** {@code pg_ctl status}: 0 running, 3 not running, 4 no data directory. */
    private int status() throws IOException, InterruptedException {
        return runForExit("pg_ctl", List.of("status", "-D", data.toString()));
    }

    private void pgCtl(String command, String... options) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(
                List.of(command, "-D", data.toString(), "-w", "-t", Long.toString(STOP_TIMEOUT.toSeconds())));
        arguments.addAll(List.of(options));
        runForExit("pg_ctl", arguments);
    }

    private void run(String program, List<String> arguments) throws IOException, InterruptedException {
        Path log = directory.resolve(program + ".log");
        int exit = runForExit(program, arguments, log);
        if (exit != 0) {
            throw new IOException(program + " failed with exit code " + exit + ":\n" + Files.readString(log));
        }
    }

    private int runForExit(String program, List<String> arguments) throws IOException, InterruptedException {
        return runForExit(program, arguments, directory.resolve(program + ".log"));
    }

    private int runForExit(String program, List<String> arguments, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(commands.of(program, arguments))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(timeout.toMillis() + STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(program + " did not finish within " + timeout + ":\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    String password() {
        return password;
    }

    String version() {
        return version;
    }

    Path directory() {
        return directory;
    }

    /** The postmaster's process id, from {@code postmaster.pid}. */
    long pid() throws IOException {
        return Long.parseLong(
                Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    }
}
