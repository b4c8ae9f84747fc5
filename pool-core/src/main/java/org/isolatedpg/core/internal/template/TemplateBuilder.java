package org.isolatedpg.core.internal.template;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.isolatedpg.core.CloneStrategy;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.Privileges;
import org.isolatedpg.core.ServerFailureException;
import org.isolatedpg.core.TemplateBuildException;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.internal.server.Server;
import org.isolatedpg.core.internal.source.BuildTarget;
import org.isolatedpg.core.internal.source.SourceFailedException;
import org.isolatedpg.core.internal.source.TemplateSource;
import org.isolatedpg.core.internal.sql.CloneRoles;
import org.isolatedpg.core.internal.sql.Databases;
import org.isolatedpg.core.internal.sql.OwnerSession;
import org.isolatedpg.core.internal.sql.SqlStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a template, or finds it built. The migrations run into a database with a temporary name, which is then
 * sealed ({@code IS_TEMPLATE true}, {@code ALLOW_CONNECTIONS false}) and renamed to the final name: a template exists
 * under its final name only when it is complete and sealed, so nothing half-built can ever be cloned. A failed build
 * drops its temporary database.
 *
 * <p>Across JVMs, builds of one fingerprint are serialised by an advisory lock: exactly one build per fingerprint per
 * server, and the others find it built.
 *
 * <p>A failure is thrown as one of two kinds: the migrations' own ({@link TemplateBuildException}: it would recur, and
 * is remembered), or the environment's ({@link ServerFailureException}: the session was terminated, the server
 * restarted or ran out of room, a lock wait timed out; the next attempt may succeed, so it is not).
 */
public final class TemplateBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateBuilder.class);

    private final Server server;
    private final Databases databases;

    public TemplateBuilder(Server server, Databases databases) {
        this.server = server;
        this.databases = databases;
    }

    /** The template's name for a fingerprint. */
    public static String templateName(String fingerprint) {
        return "ipg_tpl_" + fingerprint.substring(0, 32);
    }

    /**
     * Makes sure the template of {@code source} exists and is sealed. Only when it must be built is {@code start}
     * asked what to start from: an empty database, or a clone of another template (the parent of fixtures, an older
     * template for an incremental build).
     */
    public Template build(Template.Source source, Supplier<Start> start, String builder, Duration wait) {
        String fingerprint = source.fingerprint();
        String name = templateName(fingerprint);
        long started = System.nanoTime();
        String buildName = "ipg_build_" + fingerprint.substring(0, 12) + "_" + builder;
        try {
            if (databases.isSealedTemplate(name)) {
                return new Template(name, source, true, 0, elapsedMillis(started), null);
            }
            // One builder per fingerprint on the whole server, however many JVMs ask: the others wait here, in the
            // maintenance database (never in the template's: CREATE INDEX CONCURRENTLY there would deadlock on a
            // waiter). PostgreSQL releases the lock when the session ends, so a builder that dies lets a waiter in.
            try (Connection lock = OwnerSession.connect(server, "isolatedpg-builder-" + builder, wait)) {
                lockBuild(lock, fingerprint);
                if (databases.isSealedTemplate(name)) {
                    return new Template(name, source, true, 0, elapsedMillis(started), null);
                }
                // Templates are sealed before they get their final name, so an unsealed (or invalid) database under
                // that name is debris — of a tamperer or an interrupted DROP — never a build in progress. So is another
                // builder's half-built database of this fingerprint: with the lock ours, its builder died.
                databases.dropTemplate(name);
                for (String debris : databases.namesStartingWith("ipg_build_" + shortId(fingerprint) + "_")) {
                    databases.dropTemplate(debris); // with FORCE: its migration may still run, client-less
                }
                Start from = start.get();
                create(buildName, from);
                // Roles are server-wide: see RoleHandover for how migrations that create them keep building.
                int migrations = source.sources().stream().allMatch(TemplateSource::tracksRoles)
                        ? new RoleHandover(databases.roles(), lock, fingerprint)
                                .migrate(() -> apply(source, buildName), () -> {
                                    databases.drop(buildName);
                                    create(buildName, from);
                                })
                        : apply(source, buildName);
                if (source.privileges() == Privileges.RESTRICTED) {
                    handOver(buildName);
                }
                writeCatalogCacheFile(buildName);
                databases.seal(buildName);
                if (from.record() != null) {
                    databases.comment(buildName, from.record());
                }
                try {
                    databases.rename(buildName, name);
                } catch (SQLException e) {
                    // Only if our build lock was lost on the way (its session ended): another builder won.
                    if (!SqlStates.isNameTaken(e) || !databases.isSealedTemplate(name)) {
                        throw e;
                    }
                    dropQuietly(buildName);
                    return new Template(name, source, true, 0, elapsedMillis(started), null);
                }
                return new Template(name, source, false, migrations, elapsedMillis(started), from.incrementalFrom());
            }
        } catch (SQLException e) {
            dropQuietly(buildName);
            throw refused(fingerprint, wait, e);
        }
    }

    private IsolatedPostgresException refused(String fingerprint, Duration wait, SQLException e) {
        if (SqlStates.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
            return new ServerFailureException(
                    "Gave up after " + wait + " waiting for another JVM to build template " + shortId(fingerprint)
                            + " on " + server.description() + ".\n"
                            + "-> Build lock held by : "
                            + databases.describeAdvisoryLockHolders(
                                    OwnerSession.TEMPLATE_BUILDERS, OwnerSession.key(fingerprint))
                            + "\nIf that session is stuck, end it with SELECT pg_terminate_backend(<pid>); a waiter"
                            + " then builds the template.",
                    e);
        }
        String detail = "Could not build template " + shortId(fingerprint) + ": the server refused ("
                + SqlStates.describe(e) + ").\n"
                + "-> Server           : " + server.description() + "\n";
        if (SqlStates.isEnvironmental(e)) {
            return new ServerFailureException(
                    detail + "A failure of the environment, not of the migrations: the next test tries again.", e);
        }
        return new TemplateBuildException(detail + "Check that the admin role may create databases.", e);
    }

    /**
     * Gives the build database's objects to the clones' group role, so that each clone's role owns them in its clone.
     * The migrations ran as the admin (so those that need a superuser, such as CREATE EXTENSION, still work); what
     * they made changes owner here, once, rather than in every clone.
     */
    private void handOver(String buildName) throws SQLException {
        CloneRoles roles = databases.cloneRoles();
        roles.ensureGroup();
        roles.grantBuiltRoles();
        roles.revokePublic(buildName); // sealed, nobody connects; were it unsealed, still no test role could
        try (Connection connection = connect(buildName)) {
            CloneRoles.handOver(connection);
        }
    }

    /**
     * Connects to the finished build once, so that the database holds PostgreSQL's catalogue cache file
     * ({@code pg_internal.init}, written by the first session that finds none, removed by some catalogue changes).
     * A {@code FILE_COPY} clone copies it, and then no clone's first session has to build that cache from the
     * catalogues: measured here, about 6 ms of the server's time per clone, a quarter of a first connection.
     */
    private void writeCatalogCacheFile(String buildName) throws SQLException {
        try (Connection connection = connect(buildName);
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        }
    }

    private Connection connect(String buildName) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", server.user());
        if (!server.password().isEmpty()) {
            login.setProperty("password", server.password());
        }
        login.setProperty("ApplicationName", "isolatedpg-builder");
        login.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(server.jdbcUrl(buildName), login);
    }

    /** Waits for the build lock, up to the session's {@code lock_timeout} (the wait given to connect). */
    private static void lockBuild(Connection connection, String fingerprint) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_lock(?::int, ?)")) {
            statement.setLong(1, OwnerSession.TEMPLATE_BUILDERS);
            statement.setInt(2, OwnerSession.key(fingerprint));
            statement.execute();
        }
    }

    /** Creates the build database: empty, or a copy of the template it starts from. */
    private void create(String buildName, Start from) throws SQLException {
        if (from.cloneOf() == null) {
            databases.createEmpty(buildName);
        } else {
            databases.createClone(buildName, from.cloneOf(), CloneStrategy.FILE_COPY, null);
        }
    }

    /** Runs the sources into the build database, in order; returns how many steps they ran. */
    private int apply(Template.Source source, String buildName) {
        BuildTarget target =
                new BuildTarget(server.jdbcUrl(buildName), server.user(), server.password(), source.loader());
        int steps = 0;
        for (TemplateSource each : source.sources()) {
            try {
                steps += each.apply(target);
            } catch (SourceFailedException e) {
                dropQuietly(buildName);
                throw failed(source.fingerprint(), each, e);
            }
        }
        return steps;
    }

    private IsolatedPostgresException failed(String fingerprint, TemplateSource source, SourceFailedException e) {
        String sqlState = SqlStates.findSqlException(e)
                .map(sql -> " (SQLState " + sql.getSQLState() + ")")
                .orElse("");
        String error = SqlStates.findSqlException(e)
                .map(SQLException::getMessage)
                .orElseGet(() -> rootCause(e)) // a Java migration's own exception, not Flyway's wrapper
                .lines()
                .findFirst()
                .orElse("");
        String detail = "Could not build template " + shortId(fingerprint) + ": "
                + e.step().orElse("(before the first " + source.stepNoun() + ")") + " failed" + sqlState + ".\n"
                + "-> Error            : " + error + "\n"
                + "-> Source           : " + source.description() + "\n"
                + "-> Server           : " + server.description() + "\n";
        if (SqlStates.isEnvironmental(e)) {
            return new ServerFailureException(
                    detail + "A failure of the environment (the connection, the server or its resources), not of"
                            + " the " + source.stepNoun() + ": the half-built template was dropped, and the next test"
                            + " tries again.",
                    e.getCause());
        }
        return new TemplateBuildException(
                detail + "The " + source.stepNoun() + "'s own error: fix the " + source.stepNoun()
                        + "; the half-built template was dropped and nothing else was touched.",
                e.getCause());
    }

    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private void dropQuietly(String buildName) {
        try {
            databases.dropTemplate(buildName);
        } catch (SQLException e) {
            LOG.warn("Could not drop the half-built template {}; drop it by hand", buildName, e);
        }
    }

    public static String shortId(String fingerprint) {
        return fingerprint.substring(0, 12);
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /**
     * What a build starts from.
     *
     * @param cloneOf the template to copy, or null for an empty database
     * @param incrementalFrom the short id of {@code cloneOf} when the build is incremental, or null
     * @param record the steps the template records for later incremental builds, or null
     */
    public record Start(String cloneOf, String incrementalFrom, String record) {

        static final Start EMPTY = new Start(null, null, null);
    }

    /**
     * A sealed template.
     *
     * @param name its database name
     * @param source what it is made from, to build it again if it goes
     * @param reused whether it existed already
     * @param migrationsExecuted how many migrations this build ran (0 when reused)
     * @param millis how long building or finding it took
     * @param builtFrom the short id of the older template it was built on incrementally, or null
     */
    public record Template(
            String name, Source source, boolean reused, int migrationsExecuted, long millis, String builtFrom) {

        public String fingerprint() {
            return source.fingerprint();
        }

        /**
         * What a template is made from, whom its objects belong to, and the class loader that reads it.
         *
         * @param incremental whether it may be built on an older template holding a prefix of its migrations
         * @param parent the source of the template this one is built on top of (fixtures' base), or null
         */
        public record Source(
                TemplateSpec spec,
                List<TemplateSource> sources,
                String fingerprint,
                Privileges privileges,
                boolean incremental,
                ClassLoader loader,
                Source parent) {

            /** The fingerprints of this template and the ones it is built on, itself first. */
            public List<String> lineage() {
                List<String> lineage = new java.util.ArrayList<>();
                for (Source each = this; each != null; each = each.parent) {
                    lineage.add(each.fingerprint);
                }
                return lineage;
            }
        }
    }
}
