package org.isolatedpg.core.internal.template;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.isolatedpg.core.TemplateBuildException;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.internal.flyway.FlywayMigrator;
import org.isolatedpg.core.internal.flyway.MigrationFailedException;
import org.isolatedpg.core.internal.server.Server;
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

    /** Makes sure the template of {@code fingerprint} exists and is sealed. */
    public Template build(TemplateSpec spec, String fingerprint, String builder, ClassLoader loader, Duration wait) {
        String name = templateName(fingerprint);
        long started = System.nanoTime();
        String buildName = "ipg_build_" + fingerprint.substring(0, 12) + "_" + builder;
        try {
            if (databases.isSealedTemplate(name)) {
                return new Template(name, fingerprint, true, 0, elapsedMillis(started));
            }
            // One builder per fingerprint on the whole server, however many JVMs ask: the others wait here, in the
            // maintenance database (never in the template's: CREATE INDEX CONCURRENTLY there would deadlock on a
            // waiter). PostgreSQL releases the lock when the session ends, so a builder that dies lets a waiter in.
            try (Connection lock = OwnerSession.connect(server, "isolatedpg-builder")) {
                lockBuild(lock, fingerprint, wait);
                if (databases.isSealedTemplate(name)) {
                    return new Template(name, fingerprint, true, 0, elapsedMillis(started));
                }
                // Templates are sealed before they get their final name, so an unsealed (or invalid) database under
                // that name is debris — of a tamperer or an interrupted DROP — never a build in progress.
                databases.dropTemplate(name);
                databases.createEmpty(buildName);
                // Roles are server-wide: see RoleHandover for how migrations that create them keep building.
                int migrations = new RoleHandover(databases.roles(), lock, fingerprint)
                        .migrate(() -> migrate(spec, fingerprint, buildName, loader), () -> {
                            databases.drop(buildName);
                            databases.createEmpty(buildName);
                        });
                databases.seal(buildName);
                try {
                    databases.rename(buildName, name);
                } catch (SQLException e) {
                    // Only if our build lock was lost on the way (its session ended): another builder won.
                    if (!SqlStates.isNameTaken(e) || !databases.isSealedTemplate(name)) {
                        throw e;
                    }
                    dropQuietly(buildName);
                    return new Template(name, fingerprint, true, 0, elapsedMillis(started));
                }
                return new Template(name, fingerprint, false, migrations, elapsedMillis(started));
            }
        } catch (SQLException e) {
            dropQuietly(buildName);
            if (SqlStates.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new TemplateBuildException(
                        "Gave up after " + wait + " waiting for another JVM to build" + " template "
                                + shortId(fingerprint) + " on " + server.description() + ".",
                        e);
            }
            throw new TemplateBuildException(
                    "Could not build template " + shortId(fingerprint) + ": the server refused (SQLState "
                            + e.getSQLState() + ").\n"
                            + "-> Error            : " + e.getMessage() + "\n"
                            + "-> Server           : " + server.description() + "\n"
                            + (e.getSQLState() != null && e.getSQLState().startsWith("53")
                                    ? "The server is out of resources (disk, memory or connections)."
                                    : "Check that the server is up and the admin role may create databases."),
                    e);
        }
    }

    private static void lockBuild(Connection connection, String fingerprint, Duration wait) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = " + wait.toMillis());
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_lock(?::int, ?)")) {
            statement.setLong(1, OwnerSession.TEMPLATE_BUILDERS);
            statement.setInt(2, OwnerSession.key(fingerprint));
            statement.execute();
        }
    }

    private int migrate(TemplateSpec spec, String fingerprint, String buildName, ClassLoader loader) {
        try {
            return FlywayMigrator.migrate(server.jdbcUrl(buildName), server.user(), server.password(), spec, loader);
        } catch (MigrationFailedException e) {
            dropQuietly(buildName);
            String sqlState = SqlStates.findSqlException(e)
                    .map(sql -> " (SQLState " + sql.getSQLState() + ")")
                    .orElse("");
            String error = SqlStates.findSqlException(e)
                    .map(SQLException::getMessage)
                    .orElse(e.getMessage())
                    .lines()
                    .findFirst()
                    .orElse("");
            throw new TemplateBuildException(
                    "Could not build template " + shortId(fingerprint) + ": migration "
                            + e.script().orElse("(before the first script)") + " failed" + sqlState + ".\n"
                            + "-> Error            : " + error + "\n"
                            + "-> Flyway locations : " + String.join(",", spec.locations()) + " (from "
                            + spec.locationsSource() + ")\n"
                            + "-> Server           : " + server.description() + "\n"
                            + "Fix the migration; the half-built template was dropped and nothing else was touched.",
                    e.getCause());
        }
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
     * A sealed template.
     *
     * @param name its database name
     * @param fingerprint its full fingerprint
     * @param reused whether it existed already
     * @param migrationsExecuted how many migrations this build ran (0 when reused)
     * @param millis how long building or finding it took
     */
    public record Template(String name, String fingerprint, boolean reused, int migrationsExecuted, long millis) {}
}
