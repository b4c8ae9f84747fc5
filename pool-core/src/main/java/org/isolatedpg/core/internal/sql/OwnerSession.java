package org.isolatedpg.core.internal.sql;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.isolatedpg.core.internal.server.Server;

/**
 * This attachment's presence on the server, told through session advisory locks on one dedicated connection to the
 * maintenance database (advisory locks are per database, so everyone takes them there). PostgreSQL releases them
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

    private final Connection connection;
    private final String owner;

    private OwnerSession(Connection connection, String owner) {
        this.connection = connection;
        this.owner = owner;
    }

    /** Connects and takes an owner lock under a fresh random identity. */
    public static OwnerSession open(Server server) throws SQLException {
        Connection connection = connect(server, "isolatedpg-owner");
        try {
            int id = new SecureRandom().nextInt(Integer.MAX_VALUE - 1) + 1;
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_lock(?::int, ?)")) {
                statement.setLong(1, OWNERS);
                statement.setInt(2, id);
                statement.execute();
            }
            return new OwnerSession(connection, String.format(Locale.ROOT, "%08x", id));
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** A connection of its own to the maintenance database, for session locks. */
    public static Connection connect(Server server, String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", server.user());
        if (!server.password().isEmpty()) {
            properties.setProperty("password", server.password());
        }
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(server.jdbcUrl(server.maintenanceDatabase()), properties);
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
                        + " AND objsubid = 2 AND granted"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
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
    }

    public synchronized void stopUsing(String fingerprint) throws SQLException {
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
