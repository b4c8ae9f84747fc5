package org.isolatedpg.core.internal.template;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.isolatedpg.core.TemplateBuildException;
import org.isolatedpg.core.internal.sql.Roles;
import org.isolatedpg.core.internal.sql.Roles.Role;
import org.isolatedpg.core.internal.sql.SqlStates;

/**
 * Runs a template's migrations so that those which create roles keep building on a server that outlives the build.
 *
 * <p>Roles are server-wide: a migration's {@code CREATE ROLE app_reader} succeeds on the first build and, once the
 * migrations change, fails the next build with 42710 {@code role "app_reader" already exists}, because the first
 * template (and its clones, and the server) live on. So:
 *
 * <ol>
 *   <li>After a successful build, the roles it created (those in {@code pg_roles} afterwards and not before) are
 *       marked as ours with a comment ({@code pg_shdescription}: roles are shared objects).
 *   <li>A build that fails with 42710 (or 23505, a race on {@code pg_authid}'s unique index) on a role of ours hands
 *       that role over: it is renamed {@code ipg_role_<oid>}, and the migrations run again into a fresh database,
 *       where they create the role afresh under its plain name. Grants, ownership, policies and default privileges in
 *       older templates and their clones refer to the old role's OID, so they keep working. One role per attempt; a
 *       second conflict on the same role is a migration bug.
 *   <li>The new role is made a member of the retired one, so a test on a clone of an older template that names the
 *       role ({@code SET ROLE app_reader}, which now finds the new role) still has the privileges that template
 *       granted. The price: the new role also inherits what the old one was granted server-wide (membership in
 *       {@code pg_read_all_data} or another role), until the old one is dropped.
 *   <li>A role that exists but is not ours (made by hand, {@code postgres}) is never renamed or dropped: the build
 *       fails, as a migration failure (remembered), with a message naming the role and the fix.
 *   <li>A build that fails after handing roles over renames them back: a broken new migration must not take the
 *       role from the templates that work.
 *   <li>A failed build drops the roles it created (its database is dropped first, so nothing of it depends on
 *       them). A role something depends on was not the build's, and is left alone.
 *   <li>Retired roles are dropped by the janitor ({@link Roles#collectRetired()}) once nothing depends on them: their
 *       templates and clones have been collected.
 * </ol>
 *
 * <p>Why hand over on conflict rather than before every build: before the migrations run we do not know which roles
 * they create, and renaming every role of ours would take the name from templates of other projects on the same
 * server whose migrations did not change — and which will never be rebuilt to get it back.
 *
 * <p>Why PostgreSQL's message text is read: its error carries no field with the duplicate role's name. The decision
 * rests on the SQLSTATE and on the catalogue: only a word of the message that is the name of an existing role is
 * taken, and whether that role is ours is read from its comment. A translated message still works unless its
 * quotes glue the name to other letters; then the build fails with the server's own message. A duplicate object that
 * is not a role but shares a role's name costs one needless attempt, after which the role gets its name back.
 *
 * <p>Concurrency: every build runs its migrations holding the server-wide advisory lock {@link #ROLE_CHANGES}
 * exclusively, taken on the builder's session in the maintenance database after its fingerprint lock (lock order:
 * fingerprint, then roles; never the other way). Builds of different fingerprints, in any JVM, therefore run their
 * migrations one at a time. That is what makes "the roles this build created" exact — no other build can create one
 * between the two snapshots — so a failed build drops only its own roles, and a role is always marked before another
 * build can meet it. (Running first attempts concurrently under a shared lock was considered: two builds' snapshots
 * would then overlap, and a failed build could drop a role a concurrent build had just created and not yet used.) A
 * test or a person creating a role on the server during a build is not excluded; such a role is taken for the
 * build's own. Builds are short next to a test run, and only first builds of a fingerprint take the lock.
 */
final class RoleHandover {

    /** The server-wide advisory-lock namespace, next to OwnerSession's 0x49504701..03. */
    static final long ROLE_CHANGES = 0x49504704L;

    private static final String DUPLICATE_OBJECT = "42710";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    /** Double-quoted text, as in {@code role "app_reader" already exists}. */
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"]|\"\")+)\"");

    /** The detail of 23505 on pg_authid, as in {@code Key (rolname)=(app_reader) already exists}. */
    private static final Pattern KEY = Pattern.compile("\\(rolname\\)=\\((.+?)\\) ");

    /** One run of the migrations into the build database; throws {@link TemplateBuildException} when they fail. */
    @FunctionalInterface
    interface Attempt {
        int run();
    }

    /** Makes the build database empty again for another attempt. */
    @FunctionalInterface
    interface Reset {
        void run() throws SQLException;
    }

    private final Roles roles;
    private final Connection lock;
    private final String template;

    /**
     * @param lock the builder's session in the maintenance database, holding the fingerprint's build lock
     * @param fingerprint the template's fingerprint
     */
    RoleHandover(Roles roles, Connection lock, String fingerprint) {
        this.roles = roles;
        this.lock = lock;
        this.template = TemplateBuilder.shortId(fingerprint);
    }

    /**
     * Runs the migrations, handing over roles of ours they collide with, and marks the roles they created.
     *
     * @return the number of migrations executed
     */
    int migrate(Attempt attempt, Reset reset) throws SQLException {
        advisoryLock("SELECT pg_advisory_lock(?::int, 0)");
        Map<String, Handover> handovers = new LinkedHashMap<>();
        try {
            return attempts(attempt, reset, handovers);
        } catch (RuntimeException | SQLException e) {
            restore(handovers.values(), e);
            throw e;
        } finally {
            unlock();
        }
    }

    /** A role of ours renamed out of a build's way: as it was, and as it is. */
    private record Handover(Role original, Role retired) {}

    private int attempts(Attempt attempt, Reset reset, Map<String, Handover> handovers) throws SQLException {
        while (true) {
            Map<Long, Role> before = roles.all();
            int migrations;
            try {
                migrations = attempt.run();
            } catch (TemplateBuildException e) {
                dropCreated(before, e);
                Role conflict = conflict(e).orElseThrow(() -> withAdvice(e));
                if (!conflict.ours()) {
                    throw foreign(e, conflict);
                }
                if (handovers.containsKey(conflict.name())) {
                    throw e;
                }
                handovers.put(conflict.name(), new Handover(conflict, retire(conflict, e)));
                reset.run();
                continue;
            } catch (RuntimeException e) {
                dropCreated(before, e);
                throw e;
            }
            for (Role created : roles.createdSince(before)) {
                roles.markCreated(created, template);
                Handover handover = handovers.get(created.name());
                if (handover != null) {
                    roles.inherit(created, handover.retired());
                }
            }
            return migrations;
        }
    }

    /**
     * A build that failed after handing roles over gives them their names back (its own roles of those names are
     * gone), so that a broken new migration does not take the role from the templates that work.
     */
    private void restore(Collection<Handover> handovers, Exception failure) {
        for (Handover handover : handovers) {
            try {
                roles.restore(handover.retired(), handover.original());
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private void unlock() {
        try {
            advisoryLock("SELECT pg_advisory_unlock(?::int, 0)");
        } catch (SQLException e) {
            // the session is gone, and the lock with it
        }
    }

    /** Renames a role of ours out of the way, or says why the admin may not. */
    private Role retire(Role role, TemplateBuildException failure) throws SQLException {
        try {
            return roles.retire(role, template);
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            TemplateBuildException refused = replaceAdvice(
                    failure,
                    "Role \"" + role.name() + "\" was created by an earlier template build, and must be renamed out of"
                            + " the way of this one, but the admin role \"" + roles.admin() + "\" may not rename it"
                            + " (" + e.getMessage() + ").\nRenaming a role needs CREATEROLE, and superuser for a"
                            + " superuser role. Grant that, or drop the role (DROP ROLE " + role.name() + ").");
            refused.addSuppressed(e);
            throw refused;
        }
    }

    /** The existing role a failure collided with, if it is one. */
    private Optional<Role> conflict(TemplateBuildException failure) throws SQLException {
        Optional<SQLException> sql = SqlStates.findSqlException(failure);
        if (sql.isEmpty()
                || !(DUPLICATE_OBJECT.equals(sql.get().getSQLState())
                        || SqlStates.UNIQUE_VIOLATION.equals(sql.get().getSQLState()))) {
            return Optional.empty();
        }
        return roles.firstExisting(candidates(String.valueOf(sql.get().getMessage())));
    }

    /** Names the message may mean, the likeliest first: quoted text, a unique-index key, then every word. */
    static List<String> candidates(String message) {
        List<String> names = new ArrayList<>();
        Matcher quoted = QUOTED.matcher(message);
        while (quoted.find()) {
            names.add(quoted.group(1).replace("\"\"", "\""));
        }
        Matcher key = KEY.matcher(message);
        while (key.find()) {
            names.add(key.group(1));
        }
        for (String word : message.split("[\\s\"'`«»„“”‚‘’「」()=,:;.!?]+")) {
            if (!word.isEmpty()) {
                names.add(word);
            }
        }
        return names;
    }

    /**
     * Drops the roles a failed attempt created. Its database is gone, so nothing of the build can depend on them: one
     * that something depends on was made by someone else meanwhile (see the class comment), and is left alone.
     */
    private void dropCreated(Map<Long, Role> before, Exception failure) {
        try {
            for (Role created : roles.createdSince(before)) {
                roles.dropUnlessUsed(created);
            }
        } catch (SQLException e) {
            failure.addSuppressed(new SQLException(
                    "Could not drop the roles the failed build of template " + template + " created", e));
        }
    }

    /** A role that exists and was not made by us: leave it alone and say how to fix the migration. */
    private static TemplateBuildException foreign(TemplateBuildException failure, Role role) {
        String name = role.name();
        return replaceAdvice(
                failure,
                "Role \"" + name + "\" already exists on the server, and isolated-postgres did not create it, so it"
                        + " leaves it alone.\n"
                        + "Roles are server-wide: every template, clone and other database on the server shares them."
                        + " Create the role idempotently in the migration,\n"
                        + "    DO $$ BEGIN CREATE ROLE " + name
                        + "; EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n"
                        + "or drop the existing role (DROP ROLE " + name + ").");
    }

    /** Adds what the admin role lacks when a migration was refused a privilege it would need for roles. */
    private TemplateBuildException withAdvice(TemplateBuildException failure) {
        Optional<SQLException> sql = SqlStates.findSqlException(failure);
        try {
            if (sql.isPresent() && INSUFFICIENT_PRIVILEGE.equals(sql.get().getSQLState())) {
                if (!roles.adminMayCreateRoles()) {
                    String admin = roles.admin();
                    return replaceAdvice(
                            failure,
                            "If the failing statement creates, alters or grants a role: the admin role \"" + admin
                                    + "\" has no CREATEROLE, which that needs. As a superuser, run ALTER ROLE "
                                    + admin + " CREATEROLE;\nor create the roles beforehand and make the migration"
                                    + " create them idempotently.");
                }
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /** The failure's message with its closing advice ("Fix the migration; …") replaced by {@code advice}. */
    private static TemplateBuildException replaceAdvice(TemplateBuildException failure, String advice) {
        String message = failure.getMessage();
        int last = message.lastIndexOf('\n');
        String kept =
                last >= 0 && message.startsWith("Fix the migration", last + 1) ? message.substring(0, last) : message;
        TemplateBuildException replaced = new TemplateBuildException(kept + "\n" + advice, failure.getCause());
        for (Throwable suppressed : failure.getSuppressed()) {
            replaced.addSuppressed(suppressed);
        }
        return replaced;
    }

    private void advisoryLock(String sql) throws SQLException {
        try (PreparedStatement statement = lock.prepareStatement(sql)) {
            statement.setLong(1, ROLE_CHANGES);
            statement.execute();
        }
    }
}
