package org.isolatedpg.core.internal.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The roles tests connect as under {@code restricted} privileges: one login role per clone, named like the clone,
 * member of the group role {@value #GROUP} that owns every object of the templates. Issued through the autocommit
 * admin pool; names are checked and quoted by {@link Identifiers}.
 *
 * <p>Why one role per clone, named like it: roles are server-wide, so a role shared by every test could connect to
 * every test's database, and a test could reach another test's data. A clone's own role, with CONNECT revoked from
 * {@code PUBLIC} on the clone, can reach its own database only. Roles and databases are separate namespaces, so the
 * clone's name (unique, ASCII, at most 63 bytes, carrying the owner) names the role too, and the janitor finds a dead
 * owner's roles as it finds its databases.
 *
 * <p>Why a group role owns the template's objects: a clone copies its template's catalogue, owners included, so
 * whoever owns the objects in the template owns them in every clone. The group role does; each clone's role inherits
 * from it, and so may alter, truncate or drop every migrated object of its own clone, while it cannot connect to
 * another clone (where it would own the objects too). The template itself, and the server, stay the admin's.
 */
public final class CloneRoles {

    /** The group role that owns the templates' objects; NOLOGIN. */
    public static final String GROUP = "ipg_owner";

    /** A clone's name, which its role has too: see {@code Janitor}. */
    private static final Pattern CLONE = Pattern.compile("ipg_[0-9a-f]{12}_[0-9a-f]{8}_[0-9]{1,18}");

    /** A verifier as {@link ScramVerifier} makes it: Base64 and separators, nothing that could end a literal. */
    private static final Pattern VERIFIER =
            Pattern.compile("SCRAM-SHA-256\\$[0-9]+:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+");

    /**
     * Gives every object of the database the admin owns, and that no extension owns, to {@link #GROUP}. REASSIGN
     * OWNED would be one statement, but refuses objects of the bootstrap superuser ({@code postgres}, the embedded
     * server's admin). What follows an object's owner is left out: indexes, TOAST tables, a column's sequence, a
     * table's row type, array types; and so are the system schemas. On PostgreSQL 15 and later {@code public} belongs
     * to {@code pg_database_owner}, that is to each clone's role.
     */
    private static final String HAND_OVER = """
            DO $do$
            DECLARE
                me oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);
                object record;
            BEGIN
                FOR object IN
                    SELECT i.type, i.identity
                    FROM (
                        SELECT 'pg_namespace'::regclass, oid FROM pg_namespace WHERE nspowner = me
                        UNION ALL
                        SELECT 'pg_class'::regclass, c.oid FROM pg_class c
                        WHERE relowner = me AND relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                            AND NOT (relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
                        UNION ALL
                        SELECT 'pg_proc'::regclass, oid FROM pg_proc WHERE proowner = me
                        UNION ALL
                        SELECT 'pg_type'::regclass, t.oid FROM pg_type t
                        WHERE typowner = me AND typtype IN ('b', 'c', 'd', 'e', 'r', 'm')
                            AND (typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = typrelid) = 'c')
                            AND NOT EXISTS (SELECT 1 FROM pg_type a WHERE a.typarray = t.oid)
                        UNION ALL
                        SELECT 'pg_collation'::regclass, oid FROM pg_collation WHERE collowner = me
                        UNION ALL
                        SELECT 'pg_conversion'::regclass, oid FROM pg_conversion WHERE conowner = me
                        UNION ALL
                        SELECT 'pg_operator'::regclass, oid FROM pg_operator WHERE oprowner = me
                        UNION ALL
                        SELECT 'pg_opfamily'::regclass, oid FROM pg_opfamily WHERE opfowner = me
                        UNION ALL
                        SELECT 'pg_opclass'::regclass, oid FROM pg_opclass WHERE opcowner = me
                        UNION ALL
                        SELECT 'pg_ts_config'::regclass, oid FROM pg_ts_config WHERE cfgowner = me
                        UNION ALL
                        SELECT 'pg_ts_dict'::regclass, oid FROM pg_ts_dict WHERE dictowner = me
                        UNION ALL
                        SELECT 'pg_statistic_ext'::regclass, oid FROM pg_statistic_ext WHERE stxowner = me
                        UNION ALL
                        SELECT 'pg_largeobject'::regclass, oid FROM pg_largeobject_metadata WHERE lomowner = me
                    ) AS owned (classid, objid)
                    CROSS JOIN LATERAL pg_identify_object(owned.classid, owned.objid, 0) AS i
                    WHERE coalesce(i.schema, i.identity) NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                        AND NOT starts_with(coalesce(i.schema, i.identity), 'pg_temp_')
                        AND NOT starts_with(coalesce(i.schema, i.identity), 'pg_toast_temp_')
                        AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = owned.classid AND d.objid = owned.objid AND d.deptype = 'e')
                    ORDER BY owned.classid::oid, owned.objid
                LOOP
                    EXECUTE format('ALTER %s %s OWNER TO @group@',
                        CASE object.type
                            WHEN 'composite type' THEN 'TYPE'
                            WHEN 'statistics object' THEN 'STATISTICS'
                            ELSE upper(object.type)
                        END,
                        object.identity);
                END LOOP;
            END
            $do$
            """.replace("@group@", Identifiers.quote(GROUP));

    private final DataSource admin;

    public CloneRoles(DataSource admin) {
        this.admin = admin;
    }

    /** Whether {@code name} is {@link #GROUP} or a clone's role. */
    public static boolean isOurs(String name) {
        return GROUP.equals(name) || CLONE.matcher(name).matches();
    }

    /** Whether the admin role is a superuser, which restricted privileges need. */
    public boolean adminIsSuperuser() throws SQLException {
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    /** Creates {@link #GROUP} unless it exists; another JVM creating it at the same time is no error. */
    public void ensureGroup() throws SQLException {
        try (Connection connection = admin.getConnection();
                PreparedStatement exists =
                        connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)")) {
            exists.setString(1, GROUP);
            try (ResultSet rows = exists.executeQuery()) {
                rows.next();
                if (rows.getBoolean(1)) {
                    return;
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE " + Identifiers.quote(GROUP) + " NOLOGIN");
                statement.execute("COMMENT ON ROLE " + Identifiers.quote(GROUP)
                        + " IS 'isolated-postgres: owns the objects of every template; the role of each test"
                        + " database is a member'");
            } catch (SQLException e) {
                if (!SqlStates.isNameTaken(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Lets the clones' roles flush their own sessions' statistics, which telling an untouched clone from a changed
     * one needs (see {@code CloneState}); the function exists since PostgreSQL 15 and only superusers may run it
     * unless granted. A grant on a function is the database's own, so made in the template it is in every clone.
     */
    private static final String GRANT_STATISTICS_FLUSH = """
            DO $do$
            BEGIN
                IF current_setting('server_version_num')::int >= 150000 THEN
                    EXECUTE 'GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_force_next_flush() TO ' || quote_ident('%s');
                END IF;
            END
            $do$""".formatted(GROUP);

    /**
     * Gives the objects of the database {@code connection} is on to {@link #GROUP}, and lets it flush its statistics;
     * run before sealing a template.
     */
    public static void handOver(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(HAND_OVER);
            statement.execute(GRANT_STATISTICS_FLUSH);
        }
    }

    /**
     * Makes {@link #GROUP} a member of the roles template builds created (see {@link Roles}), so that a test may
     * {@code SET ROLE} to one, as it could as the admin: tests of row-level security or grants do. Roles with an
     * attribute that reaches beyond a database (superuser, CREATEDB, CREATEROLE, REPLICATION, BYPASSRLS) are left
     * out: {@code SET ROLE} to one would give a test that power.
     */
    public void grantBuiltRoles() throws SQLException {
        List<String> grants = new ArrayList<>();
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT format('GRANT %I TO %I', rolname, ?)"
                        + " FROM pg_roles WHERE starts_with(shobj_description(oid, 'pg_authid'), ?)"
                        + " AND NOT (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls)"
                        + " AND NOT pg_has_role(?, oid, 'MEMBER')")) {
            statement.setString(1, GROUP);
            statement.setString(2, Roles.MARK);
            statement.setString(3, GROUP);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    grants.add(rows.getString(1));
                }
            }
        }
        for (String grant : grants) {
            execute(grant);
        }
    }

    /**
     * Creates a clone's login role, with the SCRAM verifier of its password (never the password: the statement may
     * be logged).
     */
    public void create(String name, String verifier) throws SQLException {
        if (!VERIFIER.matcher(verifier).matches()) {
            throw new IllegalArgumentException("Not a SCRAM-SHA-256 verifier");
        }
        execute("CREATE ROLE " + Identifiers.quote(name)
                + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT IN ROLE "
                + Identifiers.quote(GROUP) + " PASSWORD '" + verifier + "'");
    }

    /** Takes CONNECT and TEMPORARY on a clone from {@code PUBLIC}, which every new database grants them. */
    public void revokePublic(String database) throws SQLException {
        execute("REVOKE ALL ON DATABASE " + Identifiers.quote(database) + " FROM PUBLIC");
    }

    /** Drops a clone's role; a missing one is not an error. Drop its database first: the role owns it. */
    public void drop(String name) throws SQLException {
        execute("DROP ROLE IF EXISTS " + Identifiers.quote(name));
    }

    /** The clones' roles: named {@code ipg_…} like a clone. */
    public List<String> ours() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT rolname FROM pg_roles WHERE starts_with(rolname, 'ipg_') AND rolname <> ?"
                                + " ORDER BY rolname")) {
            statement.setString(1, GROUP);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (CLONE.matcher(rows.getString(1)).matches()) {
                        names.add(rows.getString(1));
                    }
                }
            }
        }
        return names;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
