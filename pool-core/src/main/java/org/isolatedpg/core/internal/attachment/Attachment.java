package org.isolatedpg.core.internal.attachment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.Privileges;
import org.isolatedpg.core.ServerFailureException;
import org.isolatedpg.core.ServerSettings;
import org.isolatedpg.core.Setting;
import org.isolatedpg.core.internal.hikari.ConnectionPools;
import org.isolatedpg.core.internal.pool.ConnectionBudget;
import org.isolatedpg.core.internal.pool.KeptClones;
import org.isolatedpg.core.internal.server.Server;
import org.isolatedpg.core.internal.server.WarmUp;
import org.isolatedpg.core.internal.server.container.ContainerServer;
import org.isolatedpg.core.internal.server.embedded.EmbeddedServer;
import org.isolatedpg.core.internal.server.external.ExternalServer;
import org.isolatedpg.core.internal.sql.CloneRoles;
import org.isolatedpg.core.internal.sql.Databases;
import org.isolatedpg.core.internal.sql.Janitor;
import org.isolatedpg.core.internal.sql.OwnerSession;
import org.isolatedpg.core.internal.sql.SqlStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This JVM's attachment to one server: the server itself, the owner session that marks this JVM alive, the admin
 * access that creates and drops databases, the connection pools, the counter that names databases and the in-JVM
 * build locks. Everything a pool of clones needs from the server, in one place; the public {@code PostgresServer} is
 * a façade over it.
 *
 * <p>Order of opening matters: the owner lock comes first, because a session named after this owner (the admin
 * pool's) must never exist while the owner looks dead, or a janitor elsewhere would take it for a dead JVM's. The
 * janitor then runs on a daemon thread of its own, so that cleaning up after earlier runs never delays a test.
 */
public final class Attachment implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Attachment.class);
    private static final String ADMIN_APPLICATION = "isolatedpg-admin-";
    /** Two cloning threads, one dropping, and room for a build and a janitor. */
    private static final int ADMIN_POOL_SIZE = 5;
    /** The owner session, the admin pool, a build's lock session and its migration connections. */
    private static final int OWN_CONNECTIONS = 1 + ADMIN_POOL_SIZE + 1 + 2;
    /** How long closing waits for a sweep in progress: its grace and confirmation, and some dropping. */
    private static final Duration JANITOR_WAIT = Duration.ofSeconds(15);

    private final Server server;
    private final OwnerSession session;
    private final ConnectionPools connectionPools;
    private final DataSource admin;
    private final Databases databases;
    private final int majorVersion;
    private final AtomicLong databaseNumbers = new AtomicLong();
    private final Map<String, ReentrantLock> buildLocks = new ConcurrentHashMap<>();
    private final Thread janitor;
    private final ConnectionBudget budget;
    private final boolean adminIsSuperuser;
    private final AtomicBoolean fallbackLogged = new AtomicBoolean();
    private final KeptClones keptClones;

    private Attachment(
            Server server,
            OwnerSession session,
            ConnectionPools connectionPools,
            DataSource admin,
            int majorVersion,
            ConnectionBudget budget,
            boolean adminIsSuperuser,
            Janitor.Settings janitorSettings,
            Setting<Integer> keepFailed) {
        this.budget = budget;
        this.adminIsSuperuser = adminIsSuperuser;
        this.server = server;
        this.session = session;
        this.connectionPools = connectionPools;
        this.admin = admin;
        this.majorVersion = majorVersion;
        this.databases = new Databases(admin, majorVersion);
        this.keptClones = new KeptClones(server, keepFailed);
        Janitor sweeper = new Janitor(databases, session, ADMIN_APPLICATION, janitorSettings, server.description());
        this.janitor = new Thread(() -> sweep(sweeper), "isolatedpg-janitor-" + session.owner());
        this.janitor.setDaemon(true);
    }

    /**
     * Starts (or attaches to) the server the settings name: the embedded one, an external one, or a container, and
     * attaches to it (see {@link #open}).
     *
     * @throws ServerFailureException when the server cannot be started or reached
     */
    public static Attachment start(ServerSettings settings) {
        Attachment attachment = inspect(settings);
        attachment.janitor.start();
        return attachment;
    }

    /**
     * Starts (or attaches to) the server as {@link #start} does, without the janitor: to look at what is there (and
     * decide what to drop) rather than to make clones.
     */
    public static Attachment inspect(ServerSettings settings) {
        WarmUp.start(); // the driver and the pools' classes load while the server starts
        Server server = switch (settings.mode().value()) {
            case EMBEDDED -> EmbeddedServer.start(settings);
            case EXTERNAL -> ExternalServer.connect(settings);
            case CONTAINER -> startContainer(settings);
        };
        try {
            return attach(server, settings.templateRetention().value(), settings.keepFailed());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static Server startContainer(ServerSettings settings) {
        try {
            // Testcontainers' core, in the package both its 1.x and 2.x lines keep it in.
            Class.forName("org.testcontainers.containers.GenericContainer", false, Attachment.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IsolatedPostgresException(
                    "'" + ConfigKeys.SERVER_MODE + "' = container (from "
                            + settings.mode().source() + ") needs Testcontainers: add"
                            + " org.testcontainers:testcontainers to the test dependencies.",
                    e);
        }
        return ContainerServer.start(settings);
    }

    /**
     * Attaches to a running server: takes the owner lock, opens the admin pool, and starts the janitor. At most
     * {@code keepFailed} clones of failed tests are kept, over all of its pools.
     *
     * @throws ServerFailureException when the server cannot be reached or refuses (the environment's fault)
     */
    public static Attachment open(Server server, Duration templateRetention, Setting<Integer> keepFailed) {
        Attachment attachment = attach(server, templateRetention, keepFailed);
        attachment.janitor.start();
        return attachment;
    }

    private static Attachment attach(Server server, Duration templateRetention, Setting<Integer> keepFailed) {
        long started = System.nanoTime();
        OwnerSession session;
        try {
            session = OwnerSession.open(server);
        } catch (SQLException e) {
            throw failure("Could not open a session on " + server.description(), e);
        }
        ConnectionPools connectionPools = new ConnectionPools(server);
        DataSource admin = null;
        try {
            long sessionOpened = System.nanoTime();
            admin = connectionPools.openAdmin(ADMIN_POOL_SIZE, ADMIN_APPLICATION + session.owner());
            long adminOpened = System.nanoTime();
            int majorVersion = queryMajorVersion(admin, server);
            Attachment attachment = new Attachment(
                    server,
                    session,
                    connectionPools,
                    admin,
                    majorVersion,
                    planBudget(admin, server, ADMIN_APPLICATION + session.owner()),
                    queryAdminIsSuperuser(admin, server),
                    new Janitor.Settings(templateRetention, server.startedByThisJvm()),
                    keepFailed);
            LOG.debug(
                    "isolatedpg - attached to {} in {} ms (owner session {} ms, admin pool {} ms)",
                    server.description(),
                    (System.nanoTime() - started) / 1_000_000,
                    (sessionOpened - started) / 1_000_000,
                    (adminOpened - sessionOpened) / 1_000_000);
            return attachment;
        } catch (RuntimeException e) {
            if (admin != null) {
                ConnectionPools.close(admin);
            }
            connectionPools.close();
            session.close();
            throw e;
        }
    }

    private static void sweep(Janitor sweeper) {
        try {
            sweeper.sweep();
        } catch (InterruptedException e) {
            // closing: the next start sweeps again
        }
    }

    private static IsolatedPostgresException failure(String message, SQLException e) {
        String detail = message + " (" + SqlStates.describe(e) + ")";
        return SqlStates.isEnvironmental(e)
                ? new ServerFailureException(detail + ". Check that the server runs and accepts connections.", e)
                : new IsolatedPostgresException(detail, e);
    }

    public Server server() {
        return server;
    }

    public OwnerSession session() {
        return session;
    }

    public Databases databases() {
        return databases;
    }

    public ConnectionPools connectionPools() {
        return connectionPools;
    }

    public int majorVersion() {
        return majorVersion;
    }

    /** The connections this attachment's clones may hold on the server. */
    public ConnectionBudget budget() {
        return budget;
    }

    /** The clones of failed tests kept for a look, over all of this attachment's pools. */
    public KeptClones keptClones() {
        return keptClones;
    }

    /**
     * The privileges tests get under {@code setting}. {@code restricted} needs a superuser admin; where the admin is
     * not one, the default gives way to {@code admin} (with one line in the log saying why), and an explicit
     * {@code restricted} is refused.
     *
     * @throws InvalidConfigurationException when {@code restricted} was asked for and the admin is no superuser
     */
    public Privileges privileges(Setting<Privileges> setting) {
        if (setting.value() != Privileges.RESTRICTED || adminIsSuperuser) {
            return setting.value();
        }
        String why = "restricted privileges need an admin role that is a superuser, and the admin role of "
                + server.description() + " is not one";
        if (!"default".equals(setting.source())) {
            throw new InvalidConfigurationException(
                    "Invalid value for " + setting + ": " + why + ". Connect as a" + " superuser, or set it to admin.");
        }
        if (fallbackLogged.compareAndSet(false, true)) {
            LOG.info(
                    "isolatedpg - tests connect as the admin role: {}. To give each test a role of its own that"
                            + " cannot reach other tests' databases, connect as a superuser.",
                    why);
        }
        return Privileges.ADMIN;
    }

    /** This attachment's identity on the server: 8 hex digits. */
    public String owner() {
        return session.owner();
    }

    /** A number no other database this attachment names has used. */
    public long nextDatabaseNumber() {
        return databaseNumbers.incrementAndGet();
    }

    /** The lock that lets one pool of this JVM at a time build or look for the template of a fingerprint. */
    public ReentrantLock buildLock(String fingerprint) {
        return buildLocks.computeIfAbsent(fingerprint, key -> new ReentrantLock());
    }

    /**
     * Ends the attachment: lets a sweep in progress finish (one runs only when earlier JVMs left something behind, and
     * is bounded by the janitor's grace and confirmation; after {@link #JANITOR_WAIT} it is stopped and the next start
     * sweeps again), ends the owner session, closes the admin pool, and detaches from the server. Close the pools on
     * it first.
     */
    @Override
    public void close() {
        try {
            janitor.join(JANITOR_WAIT.toMillis());
            janitor.interrupt();
            janitor.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            janitor.interrupt();
            Thread.currentThread().interrupt();
        }
        try {
            session.close();
            ConnectionPools.close(admin);
            connectionPools.close();
        } finally {
            server.close();
        }
        LOG.debug("isolatedpg - detached from {}", server.description());
    }

    /**
     * The budget: {@code max_connections}, less the slots the server reserves (for superusers, and PostgreSQL 16's
     * {@code reserved_connections}), less what this attachment holds itself ({@link #OWN_CONNECTIONS}), less what
     * other clients held when it started. JVMs that start later share what is left with it: where they take more, the
     * server's 53300 is retried by the connection pools until their timeout.
     */
    private static ConnectionBudget planBudget(DataSource admin, Server server, String adminApplication) {
        String sql = "SELECT current_setting('max_connections')::int,"
                + " current_setting('superuser_reserved_connections')::int,"
                + " coalesce(current_setting('reserved_connections', true)::int, 0),"
                + " (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                + " AND application_name IS DISTINCT FROM ?)::int - 1"; // less our owner session
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, adminApplication);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                int max = rows.getInt(1);
                int reserved = rows.getInt(2) + rows.getInt(3);
                int others = Math.max(0, rows.getInt(4));
                int total = max - reserved - OWN_CONNECTIONS - others;
                String origin = "max_connections " + max + " less " + reserved + " reserved, " + OWN_CONNECTIONS
                        + " for isolated-postgres itself and " + others + " held by other clients at start";
                if (total < 2) {
                    throw new ServerFailureException(
                            server.description() + " has no connections to spare for tests (" + origin + "). Raise"
                                    + " max_connections, or end the other clients' sessions.",
                            null);
                }
                return new ConnectionBudget(total, origin);
            }
        } catch (SQLException e) {
            throw failure("Could not read the connection limits of " + server.description(), e);
        }
    }

    private static boolean queryAdminIsSuperuser(DataSource admin, Server server) {
        try {
            return new CloneRoles(admin).adminIsSuperuser();
        } catch (SQLException e) {
            throw failure("Could not read the admin role's attributes on " + server.description(), e);
        }
    }

    private static int queryMajorVersion(DataSource admin, Server server) {
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw failure("Could not read the version of " + server.description(), e);
        }
    }
}
