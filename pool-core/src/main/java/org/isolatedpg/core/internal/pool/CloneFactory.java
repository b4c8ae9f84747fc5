package org.isolatedpg.core.internal.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.isolatedpg.core.CloneStrategy;
import org.isolatedpg.core.Privileges;
import org.isolatedpg.core.TemplateBuildException;
import org.isolatedpg.core.internal.attachment.Attachment;
import org.isolatedpg.core.internal.hikari.ConnectionPools;
import org.isolatedpg.core.internal.sql.CloneRoles;
import org.isolatedpg.core.internal.sql.CloneState;
import org.isolatedpg.core.internal.sql.ScramVerifier;
import org.isolatedpg.core.internal.sql.SqlStates;
import org.isolatedpg.core.internal.template.TemplateBuilder;
import org.isolatedpg.core.internal.template.TemplateBuilder.Template;
import org.isolatedpg.core.internal.template.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one pool's clones on the server and takes them away again: the owner lock made sure of first, under
 * restricted privileges a role of the clone's own (see {@link CloneRoles}), the clone itself, and its connection pool;
 * and on the way out the clone, then its role. A template found gone or invalid while cloning is built again, once
 * per clone; if that fails with the migrations' own error, the {@link TemplateBuildException} goes to the caller.
 *
 * <p>A clone that could not be finished is cleaned up here, whatever step failed: its name is this owner's alone, so a
 * CREATE whose answer was lost (a crash, a terminated session) may have made it, and it is dropped if it exists. Only
 * a name found taken is someone else's, and it is never touched.
 */
final class CloneFactory {

    private static final Logger LOG = LoggerFactory.getLogger(CloneFactory.class);

    private final Attachment attachment;
    private final Templates templates;
    private final CloneStrategy strategy;
    private final int connectionsPerLease;
    private final boolean restricted;
    /** Whether clones get a baseline to be checked against after their test: not where the server cannot tell. */
    private volatile boolean checkUntouched;
    /** What only a session in a new clone can read, the same for every clone (see {@code CloneState}): read once. */
    private volatile String local;

    private final String logPrefix;
    private final LongAdder templateRebuilds = new LongAdder();
    private volatile Template template;

    CloneFactory(
            Attachment attachment,
            Templates templates,
            Template template,
            CloneStrategy strategy,
            int connectionsPerLease) {
        this.attachment = attachment;
        this.templates = templates;
        this.template = template;
        this.strategy = strategy;
        this.connectionsPerLease = connectionsPerLease;
        this.restricted = template.source().privileges() == Privileges.RESTRICTED;
        this.checkUntouched = CloneState.supported(attachment.majorVersion());
        this.logPrefix = "isolatedpg [" + TemplateBuilder.shortId(template.fingerprint()) + "]";
    }

    Template template() {
        return template;
    }

    long templateRebuilds() {
        return templateRebuilds.sum();
    }

    /** A new clone named {@code name}, its pool holding one open connection if {@code warm}. */
    ReadyClone make(String name, boolean warm) throws SQLException {
        String username = attachment.server().user();
        String password = attachment.server().password();
        boolean roleCreated = false;
        boolean created = false;
        DataSource dataSource = null;
        try {
            long started = System.nanoTime();
            attachment.session().ensureAlive(); // never make a clone while this owner looks dead
            long sessionsLost = attachment.session().sessionsLost();
            if (restricted) {
                password = ScramVerifier.randomPassword();
                attachment.databases().cloneRoles().create(name, ScramVerifier.of(password));
                roleCreated = true;
                username = name;
            }
            cloneTemplate(name, restricted ? name : null);
            created = true;
            long oid = attachment.databases().oidOf(name);
            if (restricted) {
                attachment.databases().cloneRoles().revokePublic(name);
            }
            long cloned = System.nanoTime();
            dataSource = attachment.connectionPools().open(name, username, password, connectionsPerLease, warm);
            long opened = System.nanoTime();
            // Read on the admin pool: a first query on the clone's new session would cost it tens of milliseconds of
            // catalogue loading.
            String baseline = warm && checkUntouched && localBaseline(dataSource) != null
                    ? attachment.databases().cloneBaseline(name)
                    : null;
            LOG.debug(
                    "{} - created {} in {} µs, its connection pool opened in {} µs, its state read in {} µs",
                    logPrefix,
                    name,
                    (cloned - started) / 1_000,
                    (opened - cloned) / 1_000,
                    (System.nanoTime() - opened) / 1_000);
            return new ReadyClone(name, oid, username, password, dataSource, warm, sessionsLost, baseline);
        } catch (SQLException | RuntimeException | Error e) {
            if (dataSource != null) {
                ConnectionPools.close(dataSource);
            }
            if (created || !(e instanceof SQLException sql && SqlStates.isNameTaken(sql))) {
                destroy(name);
            } else if (roleCreated) { // the database's name was taken, not the role's: the role is ours
                dropRole(name);
            }
            throw e;
        }
    }

    /** What only a session in a new clone can read; null when clones are not checked. */
    String localBaseline() {
        return local;
    }

    /** Reads {@link #local} on the first clone made, once; a server that cannot tell switches the checks off. */
    private synchronized String localBaseline(DataSource dataSource) throws SQLException {
        if (local == null && checkUntouched) {
            try (Connection connection = dataSource.getConnection()) {
                Optional<String> read = CloneState.local(connection);
                if (read.isEmpty()) {
                    checkUntouched = false;
                    LOG.info(
                            "{} - every test database is dropped after its test, untouched or not: the server does not"
                                    + " count changes (track_counts is off) or a sequence is not readable",
                            logPrefix);
                }
                local = read.orElse(null);
            }
        }
        return local;
    }

    /** Clones the template, owned by {@code owner} (null: the admin); one found gone or invalid is built again first. */
    private void cloneTemplate(String name, String owner) throws SQLException {
        Template current = template;
        try {
            attachment.databases().createClone(name, current.name(), strategy, owner);
        } catch (SQLException e) {
            if (!SqlStates.INVALID_CATALOG_NAME.equals(e.getSQLState())
                    && !SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE.equals(e.getSQLState())) {
                throw e;
            }
            rebuildTemplate(current);
            attachment.databases().createClone(name, template.name(), strategy, owner);
        }
    }

    /**
     * Builds the template again, or finds it rebuilt: both cloning threads may find it gone at once, and the build
     * locks let one build while the other waits and then finds it.
     */
    private void rebuildTemplate(Template current) {
        Template rebuilt = templates.rebuild(current);
        synchronized (this) {
            if (template == current) {
                template = rebuilt;
                templateRebuilds.increment();
            }
        }
    }

    /**
     * Drops a clone, under whatever name a test may have renamed it to (it is found by its OID), and then, under
     * restricted privileges, its role (which owns it, so cannot go first).
     */
    void destroy(ReadyClone clone) {
        String name = clone.name();
        try {
            attachment
                    .databases()
                    .nameOf(clone.oid())
                    .filter(now -> !now.equals(name))
                    .ifPresent(renamed -> {
                        LOG.warn(
                                "{} - test database {} was renamed to {} by its test; dropping it under that name",
                                logPrefix,
                                name,
                                renamed);
                        dropQuietly(renamed);
                    });
        } catch (SQLException e) {
            LOG.debug("{} - could not look {} up by its OID", logPrefix, name, e);
        }
        destroy(name);
    }

    /** Drops a clone if it exists and then, under restricted privileges, its role (which owns it, so cannot go first). */
    void destroy(String name) {
        try {
            long started = System.nanoTime();
            attachment.databases().drop(name);
            LOG.debug("{} - dropped {} in {} µs", logPrefix, name, (System.nanoTime() - started) / 1_000);
        } catch (SQLException e) {
            LOG.warn("{} - could not drop clone {} ({})", logPrefix, name, SqlStates.describe(e), e);
            return;
        }
        if (restricted) {
            dropRole(name);
        }
    }

    private void dropQuietly(String renamed) {
        try {
            attachment.databases().dropRenamed(renamed);
        } catch (SQLException e) {
            LOG.warn(
                    "{} - could not drop the renamed test database {} ({})",
                    logPrefix,
                    renamed,
                    SqlStates.describe(e),
                    e);
        }
    }

    private void dropRole(String name) {
        try {
            attachment.databases().cloneRoles().drop(name);
        } catch (SQLException e) {
            LOG.warn("{} - could not drop the role {} ({})", logPrefix, name, SqlStates.describe(e), e);
        }
    }
}
