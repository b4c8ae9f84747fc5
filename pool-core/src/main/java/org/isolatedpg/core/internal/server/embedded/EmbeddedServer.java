package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.ServerSettings;
import org.isolatedpg.core.internal.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server this JVM starts from zonky's binaries: its own data directory (on tmpfs where there is one),
 * bound to 127.0.0.1 only, no Unix socket, a random superuser password, and settings for tests ({@code fsync},
 * {@code synchronous_commit} and {@code full_page_writes} off). Stopped, and its directory removed, on
 * {@link #close()} or at JVM exit.
 *
 * <p>Each server's directory holds {@code owner.lock}, locked by this JVM for the server's life. A later start finds
 * the directories whose lock is free — their owner died without cleaning up (kill -9, an IDE stop) — stops their
 * postmaster and removes them ({@link OrphanSweeper}).
 *
 * <p>The port is picked by binding port 0 and released before the postmaster binds it; a process that takes it in
 * between makes the postmaster fail with "could not bind", and the start is retried on another port.
 */
public final class EmbeddedServer implements Server {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
    private static final String HOST = "127.0.0.1";
    private static final String USER = "postgres";
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Commands commands;
    private final Path runDirectory;
    private final Path dataDirectory;
    private final FileChannel lockChannel;
    private final String password;
    private final Thread shutdownHook;
    private Process process;
    private int port;
    private String version = "?";

    private EmbeddedServer(Commands commands, Path runDirectory, FileChannel lockChannel, String password) {
        this.commands = commands;
        this.runDirectory = runDirectory;
        this.dataDirectory = runDirectory.resolve("data");
        this.lockChannel = lockChannel;
        this.password = password;
        this.shutdownHook = new Thread(this::stop, "isolatedpg-embedded-shutdown");
    }

    /** Starts a new server; on failure nothing is left behind. */
    public static EmbeddedServer start(ServerSettings settings) {
        long started = System.nanoTime();
        Path base = settings.dataDirectory().value().resolve("isolatedpg-" + System.getProperty("user.name"));
        EmbeddedServer server = null;
        try {
            Path installation = Binaries.prepare(settings.cacheDirectory().value());
            PrivateDirectories.create(base);
            OrphanSweeper.sweep(base);
            Path runDirectory = Files.createTempDirectory(base, "server-");
            FileChannel lock = FileChannel.open(
                    runDirectory.resolve(OrphanSweeper.LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock.lock();
            server = new EmbeddedServer(new Commands(installation), runDirectory, lock, randomPassword());
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            server.initdb(settings.startupTimeout().value());
            server.startPostmaster(settings.startupTimeout().value());
            LOG.debug(
                    "Started {} in {} ms (data directory {})",
                    server.description(),
                    (System.nanoTime() - started) / 1_000_000,
                    server.dataDirectory);
            return server;
        } catch (IsolatedPostgresException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        } catch (IOException | SQLException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw new IsolatedPostgresException(
                    "Could not start the embedded PostgreSQL server in " + base + ": " + e.getMessage() + "\n"
                            + hint(e, settings),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (server != null) {
                server.close();
            }
            throw new IsolatedPostgresException("Interrupted while starting the embedded PostgreSQL server", e);
        }
    }

    private static String hint(Exception failure, ServerSettings settings) {
        if (String.valueOf(failure.getMessage()).contains("unshare:")) {
            return "PostgreSQL refuses to run as root, and this machine does not let us run it in a user namespace"
                    + " (unshare -U). Run the build as a non-root user.";
        }
        return "Check that the directory is writable and has room, or set '"
                + settings.dataDirectory().key() + "' (currently from "
                + settings.dataDirectory().source() + ").";
    }

    private void initdb(Duration timeout) throws IOException, InterruptedException {
        Path passwordFile = runDirectory.resolve("pwfile");
        Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        try {
            List<String> command = commands.of(
                    "initdb",
                    List.of(
                            "-D",
                            dataDirectory.toString(),
                            "-U",
                            USER,
                            "--auth=scram-sha-256",
                            "--pwfile=" + passwordFile,
                            "--encoding=UTF-8",
                            "--locale=C",
                            "--no-sync"));
            Path log = runDirectory.resolve("initdb.log");
            Process initdb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!initdb.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                initdb.destroyForcibly();
                throw new IOException("initdb did not finish within " + timeout + ":\n" + Files.readString(log));
            }
            if (initdb.exitValue() != 0) {
                throw new IOException(
                        "initdb failed with exit code " + initdb.exitValue() + ":\n" + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(passwordFile);
        }
    }

    private void startPostmaster(Duration timeout) throws IOException, InterruptedException, SQLException {
        String nonce = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        List<Integer> portsTried = new ArrayList<>();
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int candidate = freePort();
            portsTried.add(candidate);
            Process started = new ProcessBuilder(commands.of("postgres", postgresArguments(candidate, nonce)))
                    .redirectErrorStream(true)
                    .start();
            this.process = started; // from now on stop() owns it, whatever happens below
            PostmasterOutput output = PostmasterOutput.follow(started, candidate);
            try {
                output.ready().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                this.port = candidate;
                verifyIdentity(nonce);
                return;
            } catch (ExecutionException e) {
                started.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (!output.bindFailed()) {
                    throw new IOException("The postmaster exited during start-up:\n" + output.tail(), e);
                }
                LOG.debug("Port {} was taken before the postmaster could bind it; trying another", candidate);
            } catch (TimeoutException e) {
                started.destroyForcibly();
                throw new IOException("The postmaster was not ready within " + timeout + ":\n" + output.tail(), e);
            }
        }
        throw new IOException(
                "The postmaster could not bind a port after " + PORT_ATTEMPTS + " attempts (ports " + portsTried + ")");
    }

    private List<String> postgresArguments(int candidatePort, String nonce) {
        return List.of(
                "-D", dataDirectory.toString(),
                "-p", Integer.toString(candidatePort),
                "-c", "listen_addresses=" + HOST,
                "-c", "unix_socket_directories=",
                "-c", "cluster_name=isolatedpg_" + nonce,
                "-c", "fsync=off",
                "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off",
                "-c", "max_connections=300",
                "-c", "lc_messages=C");
    }

    /** Makes sure the server we reach is the one we started, not another one that answered on the port. */
    private void verifyIdentity(String nonce) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(maintenanceDatabase()), credentials());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT current_setting('cluster_name'), current_setting('server_version')")) {
            rows.next();
            if (!("isolatedpg_" + nonce).equals(rows.getString(1))) {
                throw new SQLException("The server on port " + port + " is not the one this JVM started");
            }
            version = rows.getString(2);
        }
    }

    private Properties credentials() {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", password);
        return properties;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String maintenanceDatabase() {
        return "postgres";
    }

    @Override
    public String description() {
        return "embedded PostgreSQL " + version + " on " + HOST + ":" + port;
    }

    /** The directory of this server (data directory and lock file), removed on close. */
    public Path runDirectory() {
        return runDirectory;
    }

    /** The postmaster's process id. */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs stop() itself
        }
        stop();
    }

    private synchronized void stop() {
        try {
            if (process != null && process.isAlive()) {
                stopPostmaster();
            }
            lockChannel.close();
            PrivateDirectories.deleteRecursively(runDirectory);
        } catch (IOException e) {
            LOG.warn("Could not remove the embedded server's directory {}; the next start removes it", runDirectory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void stopPostmaster() throws IOException, InterruptedException {
        Process pgCtl = new ProcessBuilder(commands.of(
                        "pg_ctl",
                        List.of(
                                "stop",
                                "-D",
                                dataDirectory.toString(),
                                "-m",
                                "fast",
                                "-w",
                                "-t",
                                Long.toString(STOP_TIMEOUT.toSeconds()))))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!pgCtl.waitFor(STOP_TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS)) {
            pgCtl.destroyForcibly();
        }
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("The embedded server (pid {}) did not stop within {}; killing it", process.pid(), STOP_TIMEOUT);
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
