package org.isolatedpg.core.internal.sql;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.isolatedpg.core.internal.server.Server;

/**
 * This attachment's presence on the server, told through session advisory locks on one dedicated connection to
 * {@link #LOCK_DATABASE} (advisory locks are per database, so everyone takes them there). PostgreSQL releases them
 * itself when the session ends — when the JVM dies, however it dies — which is what makes them a liveness signal:
 *
 * <ul>
 *   <li>{@link #OWNERS}: held by each attachment for its whole life; the janitor drops the databases of owners that
 *       hold none.
 *   <li>{@link #TEMPLATE_USERS}: held shared by each pool on its template; the collector of old templates needs it
 *       exclusively, so a template in use is never dropped.
 * </ul>
 *
 * <p>One JDBC connection is not thread-safe: every method is synchronized.
 */
public final class OwnerSession implements AutoCloseable {

    public static final long OWNERS = 0x49504701L;
    public static final long TEMPLATE_USERS = 0x49504702L;
    /** Taken (on a connection of its own, see TemplateBuilder) by whoever builds a template. */
    public static final long TEMPLATE_BUILDERS = 0x49504703L;

    /**
     * Where every session lock is taken. Advisory locks are per database, so all JVMs must use the same one, whatever
     * database their URL names.
     */
    public static final String LOCK_DATABASE = "postgres";

    private final Server server;
    private final int id;
    private final String owner;
    /** Templates in use, with how many pools use each: re-marked if the session has to be reopened. */
    private final Map<String, Integer> uses = new HashMap<>();

    private Connection connection;

    private OwnerSession(Server server, Connection connection, int id) {
        this.server = server;
        this.connection = connection;
        this.id = id;
        this.owner = String.format(Locale.ROOT, "%08x", id);
    }

    /** Connects and takes an owner lock under a fresh random identity. */
    public static OwnerSession open(Server server) throws SQLException {
        Connection connection = connect(server, "isolatedpg-owner");
        try {
            SecureRandom random = new SecureRandom();
            while (true) {
                int id = random.nextInt(Integer.MAX_VALUE - 1) + 1;
                if (tryLock(connection, OWNERS, id)) { // false only if that id is taken: pick another
                    return new OwnerSession(server, connection, id);
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * A connection of its own to {@link #LOCK_DATABASE}, for session locks. It must not time out while idle: the
     * locks it holds are what tells other JVMs this one is alive.
     */
    public static Connection connect(Server server, String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", server.user());
        if (!server.password().isEmpty()) {
            properties.setProperty("password", server.password());
        }
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("tcpKeepAlive", "true");
        Connection connection;
        try {
            connection = DriverManager.getConnection(server.jdbcUrl(LOCK_DATABASE), properties);
        } catch (SQLException e) {
            throw new SQLException(
                    "isolated-postgres coordinates JVMs through session locks in the database '" + LOCK_DATABASE
                            + "', and could not connect to it: " + e.getMessage(),
                    e.getSQLState(),
                    e);
        }
        if (connection.getMetaData().getDatabaseMajorVersion() >= 14) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET idle_session_timeout = 0");
            }
        }
        return connection;
    }

    /**
     * Makes sure the owner lock is still held — the session can end under us (a server restart, a terminated
     * backend) — reconnecting and taking it, and the template marks, again. Called before each clone is made.
     */
    public synchronized void ensureAlive() throws SQLException {
        if (connection.isValid(2)) {
            return;
        }
        close();
        connection = connect(server, "isolatedpg-owner");
        if (!tryLock(connection, OWNERS, id)) {
            throw new SQLException("The owner lock of " + owner + " is held by another session");
        }
        for (Map.Entry<String, Integer> use : uses.entrySet()) {
            for (int i = 0; i < use.getValue(); i++) {
                call("SELECT pg_advisory_lock_shared(?::int, ?)", TEMPLATE_USERS, key(use.getKey()));
            }
        }
    }

    private static boolean tryLock(Connection connection, long namespace, int key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?::int, ?)")) {
            statement.setLong(1, namespace);
            statement.setInt(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    /** This attachment's identity: 8 hex digits, carried in the names of the databases it creates. */
    public String owner() {
        return owner;
    }

    /** The identities of every attachment alive on the server, this one included. */
    public synchronized Set<String> liveOwners() throws SQLException {
        Set<String> owners = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = ?"
                        + " AND objsubid = 2 AND granted")) {
            statement.setLong(1, OWNERS);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    owners.add(String.format(Locale.ROOT, "%08x", rows.getLong(1)));
                }
            }
        }
        return owners;
    }

    /** Marks a template as used by this attachment until {@link #stopUsing}. */
    public synchronized void use(String fingerprint) throws SQLException {
        call("SELECT pg_advisory_lock_shared(?::int, ?)", TEMPLATE_USERS, key(fingerprint));
        uses.merge(fingerprint, 1, Integer::sum);
    }

    public synchronized void stopUsing(String fingerprint) throws SQLException {
        uses.computeIfPresent(fingerprint, (key, count) -> count == 1 ? null : count - 1);
        call("SELECT pg_advisory_unlock_shared(?::int, ?)", TEMPLATE_USERS, key(fingerprint));
    }

    /** Claims a template nobody uses, for dropping it; false when someone uses it. */
    public synchronized boolean claimUnused(String fingerprint) throws SQLException {
        return call("SELECT pg_try_advisory_lock(?::int, ?)", TEMPLATE_USERS, key(fingerprint));
    }

    public synchronized void releaseClaim(String fingerprint) throws SQLException {
        call("SELECT pg_advisory_unlock(?::int, ?)", TEMPLATE_USERS, key(fingerprint));
    }

    /** The second advisory-lock key of a fingerprint: its first 31 bits. */
    public static int key(String fingerprint) {
        return (int) (Long.parseLong(fingerprint.substring(0, 8), 16) & 0x7fffffff);
    }

    private boolean call(String sql, long namespace, int key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, namespace);
            statement.setInt(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                // pg_try_advisory_lock answers a boolean; the blocking functions return void
                return !(rows.getObject(1) instanceof Boolean acquired) || acquired;
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // the session ends either way, and with it every lock it held
        }
    }
}
