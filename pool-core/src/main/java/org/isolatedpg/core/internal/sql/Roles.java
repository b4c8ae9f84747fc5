package org.isolatedpg.core.internal.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-wide roles that migrations create, read from and changed in the catalogue: which exist, which are ours,
 * and the DDL that marks, hands over, drops and collects them. The protocol that uses it is
 * {@code internal.template.RoleHandover}.
 *
 * <p>A role is <em>ours</em> when its comment (stored server-wide, in {@code pg_shdescription}) starts with
 * {@value #MARK}: a template build put it there after its migrations created the role. A role handed over to a newer
 * build is renamed {@code ipg_role_<oid>}; it is <em>retired</em>, and dropped once nothing depends on it.
 *
 * <p>Role names come from users' migrations, so they may be anything PostgreSQL accepts: mixed case, spaces, quotes.
 * They never go through {@link Identifiers}; the server quotes them itself ({@code format('%I', rolname)}) from the
 * role's OID, and every value is a bind parameter.
 */
public final class Roles {

    private static final Logger LOG = LoggerFactory.getLogger(Roles.class);

    /** How the comment of every role we created begins. */
    static final String MARK = "isolated-postgres: ";

    /** The name of a retired role: this prefix and its OID. */
    static final String RETIRED = "ipg_role_";

    private static final String DEPENDENT_OBJECTS_STILL_EXIST = "2BP01";
    private static final String UNDEFINED_OBJECT = "42704";

    private final DataSource admin;

    public Roles(DataSource admin) {
        this.admin = admin;
    }

    /**
     * A role, as the catalogue had it.
     *
     * @param comment its comment, or null
     */
    public record Role(long oid, String name, String comment) {

        /** Whether a template build of isolated-postgres created it. */
        public boolean ours() {
            return comment != null && comment.startsWith(MARK);
        }
    }

    /** Every role on the server, by OID. */
    public Map<Long, Role> all() throws SQLException {
        Map<Long, Role> roles = new HashMap<>();
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT oid, rolname, shobj_description(oid, 'pg_authid') FROM pg_roles")) {
            while (rows.next()) {
                roles.put(rows.getLong(1), new Role(rows.getLong(1), rows.getString(2), rows.getString(3)));
            }
        }
        return roles;
    }

    /**
     * The roles that exist now and did not in {@code before}, oldest first. The clones' roles and their group are left
     * out ({@link CloneRoles#isOurs}): pools create and drop them at any time, concurrently with a build, and they are
     * never a migration's.
     */
    public List<Role> createdSince(Map<Long, Role> before) throws SQLException {
        List<Role> created = new ArrayList<>();
        for (Role role : all().values()) {
            if (!before.containsKey(role.oid()) && !CloneRoles.isOurs(role.name())) {
                created.add(role);
            }
        }
        created.sort(java.util.Comparator.comparingLong(Role::oid));
        return created;
    }

    /** The first of {@code names} that is a role's, with that role. */
    public Optional<Role> firstExisting(List<String> names) throws SQLException {
        if (names.isEmpty()) {
            return Optional.empty();
        }
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT oid, rolname, shobj_description(oid, 'pg_authid') FROM pg_roles"
                                + " WHERE rolname = ANY (?) ORDER BY array_position(?, rolname::text)")) {
            java.sql.Array array = connection.createArrayOf("text", names.toArray());
            statement.setArray(1, array);
            statement.setArray(2, array);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next()
                        ? Optional.of(new Role(rows.getLong(1), rows.getString(2), rows.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /**
     * Marks a role as ours, created by the template {@code template} (a short fingerprint).
     *
     * @return the role, marked
     */
    public Role markCreated(Role role, String template) throws SQLException {
        String comment = MARK + "created by template " + template;
        executeFor(
                "SELECT format('COMMENT ON ROLE %I IS %L', rolname, ?::text) FROM pg_roles WHERE oid = ?",
                comment, role.oid());
        return new Role(role.oid(), role.name(), comment);
    }

    /**
     * Renames one of our roles out of the way of a build that creates a role of that name: {@code ipg_role_<oid>}.
     * What refers to it — grants, ownership, policies, default privileges in older templates and their clones — refers
     * to its OID, so it keeps working there.
     *
     * @return the retired role
     */
    public Role retire(Role role, String template) throws SQLException {
        String retired = Identifiers.requireValid(RETIRED + role.oid());
        String comment = role.comment() + "; was \"" + role.name() + "\" until template " + template + " was built";
        executeFor(
                "SELECT format('ALTER ROLE %I RENAME TO %I', rolname, ?::text) FROM pg_roles WHERE oid = ?",
                retired, role.oid());
        executeFor(
                "SELECT format('COMMENT ON ROLE %I IS %L', rolname, ?::text) FROM pg_roles WHERE oid = ?",
                comment, role.oid());
        return new Role(role.oid(), retired, comment);
    }

    /** Gives a retired role back its name and comment, unless another role has taken the name meanwhile. */
    public void restore(Role retired, Role original) throws SQLException {
        executeFor(
                "SELECT format('ALTER ROLE %I RENAME TO %I', rolname, ?::text) FROM pg_roles WHERE oid = ?"
                        + " AND NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)",
                original.name(), retired.oid(), original.name());
        executeFor(
                "SELECT format('COMMENT ON ROLE %I IS %L', rolname, ?::text) FROM pg_roles WHERE oid = ? AND rolname = ?",
                original.comment(), original.oid(), original.name());
    }

    /**
     * Makes {@code heir} a member of {@code retired}, so that it has the retired role's privileges in older templates'
     * clones: a test there that uses the role by name ({@code SET ROLE app_reader}) gets the heir, and the heir may do
     * what the role it replaced could. A retired role the janitor dropped meanwhile had nothing to pass on.
     */
    public void inherit(Role heir, Role retired) throws SQLException {
        try {
            executeFor(
                    "SELECT format('GRANT %I TO %I', r.rolname, h.rolname) FROM pg_roles r, pg_roles h"
                            + " WHERE r.oid = ? AND h.oid = ?",
                    retired.oid(), heir.oid());
        } catch (SQLException e) {
            if (!UNDEFINED_OBJECT.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /**
     * Drops a role unless something depends on it (2BP01: it owns, or holds a privilege on, an object in some
     * database).
     *
     * @return whether it is gone
     */
    public boolean dropUnlessUsed(Role role) throws SQLException {
        try {
            executeFor("SELECT format('DROP ROLE %I', rolname) FROM pg_roles WHERE oid = ?", role.oid());
            return true;
        } catch (SQLException e) {
            if (DEPENDENT_OBJECTS_STILL_EXIST.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Drops the retired roles nothing depends on any more: their templates and clones are gone. One the admin may
     * not drop is left for a superuser.
     *
     * @return how many were dropped
     */
    public int collectRetired() throws SQLException {
        int dropped = 0;
        for (Role role : all().values()) {
            if (role.ours() && role.name().startsWith(RETIRED)) {
                try {
                    dropped += dropUnlessUsed(role) ? 1 : 0;
                } catch (SQLException e) {
                    if (!SqlStates.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                        throw e;
                    }
                    LOG.debug("isolatedpg - may not drop the retired role {}", role.name(), e);
                }
            }
        }
        if (dropped > 0) {
            LOG.debug("isolatedpg - dropped {} retired roles nothing used any more", dropped);
        }
        return dropped;
    }

    /** Whether the admin role may create roles: a superuser, or CREATEROLE. */
    public boolean adminMayCreateRoles() throws SQLException {
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    /** The admin role's name. */
    public String admin() throws SQLException {
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_user")) {
            rows.next();
            return rows.getString(1);
        }
    }

    /**
     * Runs the statement that {@code query} builds on the server (which quotes the role names in it); nothing when the
     * role no longer exists.
     */
    private void executeFor(String query, Object... parameters) throws SQLException {
        try (Connection connection = admin.getConnection()) {
            String ddl;
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return;
                    }
                    ddl = rows.getString(1);
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(ddl);
            }
        }
    }
}
