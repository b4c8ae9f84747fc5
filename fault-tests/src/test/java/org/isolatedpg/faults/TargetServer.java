package org.isolatedpg.faults;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.internal.sql.OwnerSession;
import org.junit.jupiter.api.Assumptions;

/**
 * The server a fault test runs against: {@code embedded}, a cluster in the test's own data directory (a
 * {@code @TempDir}, never the shared default), or {@code external}, the machine's PostgreSQL on 127.0.0.1:5432 with
 * trust authentication. Where that one does not answer the external tests are skipped — except on CI
 * ({@code CI=true}), where its absence fails them. It is shared with other people's tests: never restart it, and drop
 * what a test creates.
 */
final class TargetServer {

    /**
     * The JUnit resource lock of tests on the external server: they take inventories of the whole server, so no two
     * may overlap. Tests on embedded clusters of their own run alongside.
     */
    static final String EXTERNAL_LOCK = "isolatedpg.external-server";

    static final String EXTERNAL_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final String EXTERNAL_USER = "postgres";
    /** The application name of the tests' own admin connections: not ours, so the janitor leaves them alone. */
    static final String APPLICATION_NAME = "fault-tests";

    private final String mode;
    private final Path dataDirectory;
    private final Map<String, String> values;

    private TargetServer(String mode, Path dataDirectory, Map<String, String> values) {
        this.mode = mode;
        this.dataDirectory = dataDirectory;
        this.values = Map.copyOf(values);
    }

    /** {@code embedded} in {@code dataDirectory}, or {@code external}; skips the test when the latter is missing. */
    static TargetServer of(String mode, Path dataDirectory) {
        Map<String, String> values = new HashMap<>();
        values.put(ConfigKeys.POOL_SIZE, "2");
        if (mode.equals("external")) {
            Assumptions.assumeTrue(
                    externalAnswers() || "true".equals(System.getenv("CI")),
                    "no PostgreSQL answers on 127.0.0.1:5432 (CI=true makes this a failure)");
            values.put(ConfigKeys.SERVER_MODE, "external");
            values.put(ConfigKeys.SERVER_URL, EXTERNAL_URL);
            values.put(ConfigKeys.SERVER_USER, EXTERNAL_USER);
        } else if (mode.equals("embedded")) {
            values.put(ConfigKeys.EMBEDDED_DATA_DIRECTORY, dataDirectory.toString());
        } else {
            throw new IllegalArgumentException(mode);
        }
        return new TargetServer(mode, dataDirectory, values);
    }

    private static boolean externalAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The same server, with one more configuration value. */
    TargetServer with(String key, String value) {
        Map<String, String> more = new HashMap<>(values);
        more.put(key, value);
        return new TargetServer(mode, dataDirectory, more);
    }

    String mode() {
        return mode;
    }

    boolean embedded() {
        return mode.equals("embedded");
    }

    /** The configuration values, as configuration parameters for a fixture run or a child JVM. */
    Map<String, String> values() {
        return values;
    }

    Configuration configuration() {
        return Configuration.from(List.of(ConfigSource.of("fault test", values)));
    }

    /** Starts (or attaches to) the server, which runs the janitor. */
    PostgresServer start() {
        return PostgresServer.start(configuration().serverSettings());
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    /** The embedded clusters under the data directory (one, once a server started there). */
    List<Path> clusterDirectories() throws IOException {
        List<Path> clusters = new ArrayList<>();
        if (!embedded() || !Files.isDirectory(dataDirectory)) {
            return clusters;
        }
        try (Stream<Path> users = Files.list(dataDirectory)) {
            for (Path user : users.filter(Files::isDirectory).toList()) {
                try (Stream<Path> inUser = Files.list(user)) {
                    inUser.filter(Files::isDirectory).forEach(clusters::add);
                }
            }
        }
        return clusters;
    }

    Path clusterDirectory() throws IOException {
        List<Path> clusters = clusterDirectories();
        if (clusters.size() != 1) {
            throw new IllegalStateException("Expected one cluster under " + dataDirectory + ", found " + clusters);
        }
        return clusters.get(0);
    }

    /** The running embedded server's properties ({@code port}, {@code nonce}); empty when none runs. */
    Optional<Properties> embeddedServer() throws IOException {
        for (Path cluster : clusterDirectories()) {
            Path file = cluster.resolve("server.properties");
            if (Files.exists(file)) {
                Properties properties = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                }
                return Optional.of(properties);
            }
        }
        return Optional.empty();
    }

    /**
     * A plain JDBC connection to the {@code postgres} database as the admin role. It opens no attachment, so it runs
     * no janitor and takes no lock: reading through it changes nothing.
     *
     * @throws SQLException also when the embedded server is not running
     */
    Connection admin() throws SQLException {
        return connect("postgres");
    }

    Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("connectTimeout", "10");
        if (!embedded()) {
            properties.setProperty("user", EXTERNAL_USER);
            return DriverManager.getConnection(EXTERNAL_URL.replace("/postgres", "/" + database), properties);
        }
        try {
            Properties server = embeddedServer()
                    .orElseThrow(() -> new SQLException("The embedded server in " + dataDirectory + " is not running"));
            properties.setProperty("user", "postgres");
            properties.setProperty(
                    "password", Files.readString(clusterDirectory().resolve("password")));
            return DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + server.getProperty("port") + "/" + database, properties);
        } catch (IOException e) {
            throw new SQLException("Could not read the embedded server's files in " + dataDirectory, e);
        }
    }

    /** Runs statements on the admin connection. */
    void execute(String... statements) throws SQLException {
        try (Connection connection = admin();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Whether the database exists and is valid (an interrupted DROP leaves {@code datconnlimit = -2}). */
    boolean isValidDatabase(String database) throws SQLException {
        return exists(database, " AND datconnlimit <> -2");
    }

    /**
     * Leaves a database as an interrupted DROP DATABASE does (needs a superuser): invalid, and no template (DROP refuses
     * templates, so the library unseals one before dropping it; an invalid template is a state PostgreSQL never makes).
     */
    void makeInvalid(String database) throws SQLException {
        try (Connection connection = admin();
                PreparedStatement statement = connection.prepareStatement(
                        "UPDATE pg_database SET datconnlimit = -2, datistemplate = false WHERE datname = ?")) {
            statement.setString(1, database);
            statement.executeUpdate();
        }
    }

    boolean exists(String database) throws SQLException {
        return exists(database, "");
    }

    private boolean exists(String database, String condition) throws SQLException {
        try (Connection connection = admin();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?" + condition + ")")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    /** Waits until PostgreSQL has noticed that a killed JVM's session ended, which releases its owner lock. */
    void awaitOwnerGone(String owner) throws Exception {
        Await.until(
                "the owner lock of " + owner + " to go",
                () -> !Inventory.of(this).liveOwners().contains(owner));
    }

    /**
     * Drops templates a test built for itself on the external server (their fingerprints are unique to the test, so
     * nothing reuses them) — each only if no pool uses it, as the collector does. The embedded ones go with the
     * test's data directory.
     */
    void dropOwnTemplates(Collection<String> templates) throws SQLException {
        if (embedded()) {
            return;
        }
        try (Connection connection = admin();
                Statement statement = connection.createStatement()) {
            for (String template : templates) {
                int key = OwnerSession.key(template.substring("ipg_tpl_".length()));
                try (ResultSet claimed = statement.executeQuery(
                        "SELECT pg_try_advisory_lock(" + OwnerSession.TEMPLATE_USERS + ", " + key + ")")) {
                    claimed.next();
                    if (!claimed.getBoolean(1)) {
                        continue;
                    }
                }
                if (isValidDatabase(template)) { // ALTER on an invalid database is FATAL: drop those directly
                    statement.execute("ALTER DATABASE \"" + template + "\" WITH IS_TEMPLATE false");
                }
                statement.execute("DROP DATABASE IF EXISTS \"" + template + "\"");
                statement.execute("SELECT pg_advisory_unlock(" + OwnerSession.TEMPLATE_USERS + ", " + key + ")");
            }
        }
    }

    @Override
    public String toString() {
        return mode;
    }
}
