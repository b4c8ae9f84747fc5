package org.isolatedpg.core.internal.sql;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.isolatedpg.core.internal.pool.DaemonThreads;
import org.isolatedpg.core.internal.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This attachment's presence on the server, told through session advisory locks on one dedicated connection to
 * {@link #LOCK_DATABASE} (advisory locks are per database, so everyone takes them there). PostgreSQL releases them
 * itself when the session ends — when the JVM dies, however it dies — which is what makes them a liveness signal:
 *
 * <ul>
 *   <li>{@link #OWNERS}: held by each attachment for its whole life; the janitor drops the databases of owners that
 *       hold none (see {@link Janitor} for how it tells a dead owner from one whose session a restart just ended).
 *   <li>{@link #TEMPLATE_USERS}: held shared by each pool on its template; the collector of old templates needs it
 *       exclusively, so a template in use is never dropped.
 * </ul>
 *
 * <p><b>Liveness across restarts.</b> A server crash or restart, a terminated backend or a network blip ends the
 * session and with it every lock. The session then takes its locks again by itself: a keeper thread checks it every
 * {@link #KEEP_ALIVE_INTERVAL}, and {@link #ensureAlive()} (before each clone is made) and {@link #checkClone} (before
 * each clone is handed out) check it too, on the same round trip as their work. So no clone is made or handed out
 * while this owner looks dead, and after a restart the owner is visible again within about a second of the server
 * accepting connections.
 *
 * <p>One JDBC connection is not thread-safe: every use of it holds {@link #lock}, taken with a timeout.
 */
public final class OwnerSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerSession.class);

    public static final long OWNERS = 0x49504701L;
    public static final long TEMPLATE_USERS = 0x49504702L;
    /** Taken (on a connection of its own, see TemplateBuilder) by whoever builds a template. */
    public static final long TEMPLATE_BUILDERS = 0x49504703L;

    /** How often the keeper checks the session: the bound on how long a restart leaves this owner unmarked. */
    public static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(1);

    /** How long our own small statements on this session may take, and a lock wait on it. */
    private static final Duration STATEMENT_BOUND = Duration.ofSeconds(30);

    /**
     * Where every session lock is taken. Advisory locks are per database, so all JVMs must use the same one, whatever
     * database their URL names.
     */
    public static final String LOCK_DATABASE = "postgres";

    private final Server server;
    private final int id;
    private final String owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledThreadPoolExecutor keeper;
    /** Templates in use, with how many pools use each: marked again if the session has to be reopened. */
    private final Map<String, Integer> uses = new HashMap<>(); // guarded by lock

    private Connection connection; // guarded by lock; null while the session is lost
    private volatile long sessionsLost;
    private boolean closed; // guarded by lock
    private int reopened; // guarded by lock

    private OwnerSession(Server server, Connection connection, int id) {
        this.server = server;
        this.connection = connection;
        this.id = id;
        this.owner = String.format(Locale.ROOT, "%08x", id);
        this.keeper = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("isolatedpg-owner-" + owner));
        this.keeper.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Connects and takes an owner lock under a fresh random identity; a keeper then holds it for the JVM's life. */
    public static OwnerSession open(Server server) throws SQLException {
        Connection connection = connect(server, "isolatedpg-owner", STATEMENT_BOUND);
        try {
            SecureRandom random = new SecureRandom();
            while (true) {
                int id = random.nextInt(Integer.MAX_VALUE - 1) + 1;
                if (tryLock(connection, OWNERS, id)) { // false only if that id is taken: pick another
                    OwnerSession session = new OwnerSession(server, connection, id);
                    long interval = KEEP_ALIVE_INTERVAL.toMillis();
                    session.keeper.scheduleWithFixedDelay(
                            session::keepAlive, interval, interval, TimeUnit.MILLISECONDS);
                    return session;
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * A connection of its own to {@link #LOCK_DATABASE}, for session locks. It never times out while idle (the locks
     * it holds are what tells other JVMs this one is alive), but connecting, logging in, waiting for a lock and waiting
     * for an answer are all bounded: a lock wait by {@code bound}, a silent server by {@code bound} and a minute.
     */
    public static Connection connect(Server server, String applicationName, Duration bound) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", server.user());
        if (!server.password().isEmpty()) {
            properties.setProperty("password", server.password());
        }
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("loginTimeout", "10");
        properties.setProperty(
                "socketTimeout", Long.toString(bound.plusMinutes(1).toSeconds()));
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
        try (Statement statement = connection.createStatement()) {
            if (connection.getMetaData().getDatabaseMajorVersion() >= 14) {
                statement.execute("SET idle_session_timeout = 0");
            }
            statement.execute("SET lock_timeout = " + bound.toMillis());
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private void keepAlive() {
        try {
            ensureAlive();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("isolatedpg - the owner session of {} is lost and could not be reopened yet", owner, e);
        }
    }

    /**
     * Makes sure the owner lock is still held — the session can end under us (a server restart, a terminated
     * backend) — reopening the session and taking the lock and the template marks again. Called before each clone is
     * made.
     */
    public void ensureAlive() throws SQLException {
        lock();
        try {
            if (connection == null || !connection.isValid(2)) {
                reopen();
            }
        } finally {
            lock.unlock();
        }
    }

    private void reopen() throws SQLException {
        if (closed) {
            throw new SQLException("The owner session of " + owner + " is closed", "08003");
        }
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
            sessionsLost++;
            LOG.info(
                    "isolatedpg - the owner session of {} on {} ended (a server restart, or a terminated session);"
                            + " taking its locks again",
                    owner,
                    server.description());
        }
        Connection fresh = connect(server, "isolatedpg-owner", STATEMENT_BOUND);
        try {
            if (!tryLock(fresh, OWNERS, id)) {
                throw new SQLException("The owner lock of " + owner + " is held by another session", "55P03");
            }
            for (Map.Entry<String, Integer> use : uses.entrySet()) {
                for (int i = 0; i < use.getValue(); i++) {
                    call(fresh, "SELECT pg_advisory_lock_shared(?::int, ?)", TEMPLATE_USERS, key(use.getKey()));
                }
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(fresh);
            throw e;
        }
        connection = fresh;
        reopened++;
    }

    /** How many times the session was lost and taken again. */
    public int reopened() {
        lock.lock();
        try {
            return reopened;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a clone may be handed out: it exists and is a valid database that accepts connections. Asked on the
     * owner session, so the same round trip proves the owner lock is held; a lost session is reopened first.
     */
    /**
     * How many times this session was lost and opened again: a server restart, or a terminated session. Whatever
     * connected before a loss may be gone.
     */
    public long sessionsLost() {
        return sessionsLost;
    }

    public boolean isUsable(String database) throws SQLException {
        lock();
        try {
            if (connection == null) {
                reopen();
            }
            try {
                return queryUsable(database);
            } catch (SQLException e) {
                if (!SqlStates.isConnectionLost(e) || connection.isValid(2)) {
                    throw e;
                }
                reopen();
                return queryUsable(database);
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean queryUsable(String database) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT datallowconn AND datconnlimit <> -2 FROM pg_database WHERE datname = ?")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
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

    /** The identities of every attachment whose owner lock is held now, this one included. */
    public Set<String> liveOwners() throws SQLException {
        Set<String> owners = new HashSet<>();
        Connection session = activeConnection();
        try (PreparedStatement statement =
                session.prepareStatement("SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND classid::bigint = ? AND objsubid = 2 AND granted")) {
            statement.setLong(1, OWNERS);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    owners.add(String.format(Locale.ROOT, "%08x", rows.getLong(1)));
                }
            }
        } finally {
            lock.unlock();
        }
        return owners;
    }

    /** Marks a template as used by this attachment until {@link #stopUsing}. */
    public void use(String fingerprint) throws SQLException {
        Connection session = activeConnection();
        try {
            call(session, "SELECT pg_advisory_lock_shared(?::int, ?)", TEMPLATE_USERS, key(fingerprint));
            uses.merge(fingerprint, 1, Integer::sum);
        } finally {
            lock.unlock();
        }
    }

    public void stopUsing(String fingerprint) throws SQLException {
        lock();
        try {
            uses.computeIfPresent(fingerprint, (key, count) -> count == 1 ? null : count - 1);
            if (connection != null) {
                call(connection, "SELECT pg_advisory_unlock_shared(?::int, ?)", TEMPLATE_USERS, key(fingerprint));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Claims a template nobody uses, for dropping it; false when someone uses it. */
    public boolean claimUnused(String fingerprint) throws SQLException {
        Connection session = activeConnection();
        try {
            return call(session, "SELECT pg_try_advisory_lock(?::int, ?)", TEMPLATE_USERS, key(fingerprint));
        } finally {
            lock.unlock();
        }
    }

    public void releaseClaim(String fingerprint) throws SQLException {
        Connection session = activeConnection();
        try {
            call(session, "SELECT pg_advisory_unlock(?::int, ?)", TEMPLATE_USERS, key(fingerprint));
        } finally {
            lock.unlock();
        }
    }

    /** The second advisory-lock key of a fingerprint: its first 31 bits. */
    public static int key(String fingerprint) {
        return (int) (Long.parseLong(fingerprint.substring(0, 8), 16) & 0x7fffffff);
    }

    /** Takes the lock and returns the live connection, reopening a lost session; the caller unlocks. */
    private Connection activeConnection() throws SQLException {
        lock();
        try {
            if (connection == null) {
                reopen();
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    private void lock() throws SQLException {
        try {
            if (!lock.tryLock(STATEMENT_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SQLException(
                        "Gave up after " + STATEMENT_BOUND + " waiting for the owner session of " + owner
                                + ", busy reconnecting to " + server.description(),
                        "55P03");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for the owner session of " + owner, "57014", e);
        }
    }

    private static boolean call(Connection connection, String sql, long namespace, int key) throws SQLException {
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

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // the session ends either way, and with it every lock it held
        }
    }

    /** Ends the session, and with it every lock it holds. */
    @Override
    public void close() {
        keeper.shutdownNow();
        try {
            lock();
        } catch (SQLException e) {
            LOG.warn("isolatedpg - could not end the owner session of {} cleanly", owner, e);
            return; // the session ends with the JVM at the latest
        }
        try {
            closed = true;
            if (connection != null) {
                closeQuietly(connection);
                connection = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
