package org.isolatedpg.core.internal.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.isolatedpg.core.CloneStrategy;

/**
 * Database-level DDL, issued from the server's maintenance database through an autocommit admin pool. Names are
 * checked and quoted by {@link Identifiers}; every value is a bind parameter.
 */
public final class Databases {

    private final DataSource admin;
    private final int majorVersion;

    public Databases(DataSource admin, int majorVersion) {
        this.admin = admin;
        this.majorVersion = majorVersion;
    }

    /** The server-wide roles, through the same admin pool. */
    public Roles roles() {
        return new Roles(admin);
    }

    /** The roles of clones, through the same admin pool. */
    public CloneRoles cloneRoles() {
        return new CloneRoles(admin);
    }

    /** Creates an empty database from {@code template0}. */
    public void createEmpty(String name) throws SQLException {
        execute("CREATE DATABASE " + Identifiers.quote(name) + " TEMPLATE template0");
    }

    /** Clones {@code template} into a new database {@code name}, owned by {@code owner}, or by the admin when null. */
    public void createClone(String name, String template, CloneStrategy strategy, String owner) throws SQLException {
        String sql = "CREATE DATABASE " + Identifiers.quote(name) + " TEMPLATE " + Identifiers.quote(template);
        if (owner != null) {
            sql += " OWNER " + Identifiers.quote(owner);
        }
        if (majorVersion >= 15) { // STRATEGY exists since PostgreSQL 15; before it every clone is a file copy
            sql += " STRATEGY " + strategy.name();
        }
        execute(sql);
    }

    /** Drops a database, terminating whatever is still connected to it. A missing database is not an error. */
    public void drop(String name) throws SQLException {
        dropQuoted(Identifiers.quote(name));
    }

    /**
     * {@code DROP DATABASE … WITH (FORCE)} refuses a role that is not a superuser when an autovacuum worker is in the
     * database (its process has no role the admin has privileges of, 42501). A plain DROP then ends the worker itself
     * and waits for it; should a session have come in meanwhile, the forced drop is tried again.
     */
    private void dropQuoted(String quoted) throws SQLException {
        String plain = "DROP DATABASE IF EXISTS " + quoted;
        if (majorVersion < 13) {
            execute(plain);
            return;
        }
        try {
            execute(plain + " WITH (FORCE)");
        } catch (SQLException refused) {
            if (!"42501".equals(refused.getSQLState())) {
                throw refused;
            }
            try {
                execute(plain);
            } catch (SQLException stillInUse) {
                if (!"55006".equals(stillInUse.getSQLState())) {
                    throw stillInUse;
                }
                execute(plain + " WITH (FORCE)");
            }
        }
    }

    /**
     * Unseals and drops a template, if it exists. An invalid database (left by an interrupted DROP, {@code datconnlimit
     * = -2}) is dropped directly: ALTER DATABASE on it is FATAL for the session.
     */
    public void dropTemplate(String name) throws SQLException {
        if (queryForBoolean(
                "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ? AND datistemplate AND datconnlimit <> -2)",
                name)) {
            execute("ALTER DATABASE " + Identifiers.quote(name) + " WITH IS_TEMPLATE false");
        }
        drop(name);
    }

    /**
     * Drops a database (unsealing it first) unless someone is connected to it: for the janitor, which must not take a
     * database from a JVM that still uses it. DROP without FORCE waits up to 5 s for exiting backends, then fails with
     * 55006 if sessions remain.
     *
     * @return whether it is gone
     */
    public boolean dropUnlessInUse(String name) throws SQLException {
        if (queryForBoolean(
                "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ? AND datistemplate AND datconnlimit <> -2)",
                name)) {
            execute("ALTER DATABASE " + Identifiers.quote(name) + " WITH IS_TEMPLATE false");
        }
        try {
            execute("DROP DATABASE IF EXISTS " + Identifiers.quote(name));
            return true;
        } catch (SQLException e) {
            if (SqlStates.OBJECT_IN_USE.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** Seals a template: clonable by its owner, and nobody can connect to it. */
    public void seal(String name) throws SQLException {
        execute("ALTER DATABASE " + Identifiers.quote(name) + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
    }

    public void rename(String from, String to) throws SQLException {
        execute("ALTER DATABASE " + Identifiers.quote(from) + " RENAME TO " + Identifiers.quote(to));
    }

    public boolean exists(String name) throws SQLException {
        return queryForBoolean("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?)", name);
    }

    /** Whether {@code name} is a sealed, valid template (an interrupted DROP leaves {@code datconnlimit = -2}). */
    public boolean isSealedTemplate(String name) throws SQLException {
        return queryForBoolean(
                "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ? AND datistemplate"
                        + " AND NOT datallowconn AND datconnlimit <> -2)",
                name);
    }

    /**
     * Client connections to {@code database} other than those whose application name is {@code ownApplicationName},
     * described for a leak report.
     */
    public List<String> foreignConnections(String database, String ownApplicationName) throws SQLException {
        String sql = "SELECT pid, application_name, state, client_addr, client_port FROM pg_stat_activity"
                + " WHERE datname = ? AND backend_type = 'client backend' AND application_name <> ?"
                + " AND pid <> pg_backend_pid() ORDER BY pid";
        List<String> connections = new ArrayList<>();
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, database);
            statement.setString(2, ownApplicationName);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String application = rows.getString("application_name");
                    connections.add("connection opened outside the test's DataSource (backend pid "
                            + rows.getInt("pid") + ", application_name '" + application + "', state "
                            + rows.getString("state") + ")");
                }
            }
        }
        return connections;
    }

    /**
     * A database whose name says it is ours, and when it was last used (templates only).
     *
     * @param lastUsed from the template's comment; null when it has none
     * @param lastUsedKnown false when the comment is not one of ours: such a database is never collected
     */
    public record OurDatabase(String name, Instant lastUsed, boolean lastUsedKnown) {}

    private static final String LAST_USED = "isolated-postgres template, last used ";
    private static final String STEPS = "steps ";

    public List<OurDatabase> listOurs() throws SQLException {
        List<OurDatabase> databases = new ArrayList<>();
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database"
                                + " WHERE starts_with(datname, 'ipg_') ORDER BY datname");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                databases.add(ourDatabase(rows.getString(1), rows.getString(2)));
            }
        }
        return databases;
    }

    /**
     * A sealed template of ours, for listings.
     *
     * @param lastUsed from its comment; null when unknown
     * @param record what its comment records beside its last use (lines), or empty
     * @param sizeBytes its size on disk
     */
    public record SealedTemplate(String name, Instant lastUsed, String record, long sizeBytes) {}

    /** Every sealed template of ours on the server, by name. */
    public List<SealedTemplate> sealedTemplates() throws SQLException {
        List<SealedTemplate> templates = new ArrayList<>();
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT datname, shobj_description(oid, 'pg_database'), pg_database_size(oid) FROM pg_database"
                                + " WHERE starts_with(datname, 'ipg_tpl_') AND datistemplate AND NOT datallowconn"
                                + " AND datconnlimit <> -2 ORDER BY datname");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String comment = rows.getString(2);
                templates.add(new SealedTemplate(
                        rows.getString(1),
                        ourDatabase(rows.getString(1), comment).lastUsed(),
                        comment == null
                                ? ""
                                : comment.lines().skip(1).collect(java.util.stream.Collectors.joining("\n")),
                        rows.getLong(3)));
            }
        }
        return templates;
    }

    /** The size on disk of each database whose name says it is ours. */
    public Map<String, Long> sizesOfOurs() throws SQLException {
        Map<String, Long> sizes = new java.util.TreeMap<>();
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT datname, pg_database_size(oid) FROM pg_database WHERE starts_with(datname, 'ipg_')"
                                + " AND datconnlimit <> -2");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                sizes.put(rows.getString(1), rows.getLong(2));
            }
        }
        return sizes;
    }

    private static OurDatabase ourDatabase(String name, String comment) {
        if (comment == null) {
            return new OurDatabase(name, null, true);
        }
        String firstLine = comment.lines().findFirst().orElse("");
        if (firstLine.startsWith(LAST_USED)) {
            try {
                return new OurDatabase(name, Instant.parse(firstLine.substring(LAST_USED.length())), true);
            } catch (java.time.format.DateTimeParseException e) {
                // someone else's words in our comment: not ours to judge
            }
        }
        return new OurDatabase(name, null, false);
    }

    /**
     * A sealed template that records the steps it was built from (see {@code Increments}): its name and the line its
     * comment holds after the first.
     */
    public record SteppedTemplate(String name, String steps) {}

    /** The sealed templates whose comment records their steps. */
    public List<SteppedTemplate> steppedTemplates() throws SQLException {
        List<SteppedTemplate> templates = new ArrayList<>();
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database"
                                + " WHERE starts_with(datname, 'ipg_tpl_') AND datistemplate AND NOT datallowconn"
                                + " AND datconnlimit <> -2");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String name = rows.getString(1);
                steps(rows.getString(2)).ifPresent(steps -> templates.add(new SteppedTemplate(name, steps)));
            }
        }
        return templates;
    }

    private static Optional<String> steps(String comment) {
        return comment == null
                ? Optional.empty()
                : comment.lines().skip(1).filter(line -> line.startsWith(STEPS)).findFirst();
    }

    /**
     * The server's clock, and when its current incarnation began: the checkpointer's start, since a crash restarts
     * every server process while {@code pg_postmaster_start_time()} stays; the postmaster's start where a role may not
     * see the checkpointer.
     */
    public record ServerClock(Instant now, Instant incarnation) {}

    public ServerClock clock() throws SQLException {
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT now(), coalesce((SELECT min(backend_start) FROM"
                        + " pg_stat_activity WHERE backend_type = 'checkpointer'), pg_postmaster_start_time())")) {
            rows.next();
            return new ServerClock(
                    rows.getTimestamp(1).toInstant(), rows.getTimestamp(2).toInstant());
        }
    }

    /** What a new clone's baseline is, to tell after its test whether the test changed it (see {@link CloneState}). */
    public String cloneBaseline(String name) throws SQLException {
        try (Connection connection = admin.getConnection()) {
            return CloneState.baseline(connection, name);
        }
    }

    /** A database's OID. */
    public long oidOf(String name) throws SQLException {
        try (Connection connection = admin.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT oid FROM pg_database WHERE datname = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("Database " + name + " is gone", SqlStates.INVALID_CATALOG_NAME);
                }
                return rows.getLong(1);
            }
        }
    }

    /** The name a database of that OID has now, if it still exists. */
    public Optional<String> nameOf(long oid) throws SQLException {
        try (Connection connection = admin.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT datname FROM pg_database WHERE oid = ?")) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? java.util.Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Drops a clone a test renamed: its new name may be anything, so it is quoted as the server quotes it, never
     * through our strict name pattern.
     */
    public void dropRenamed(String name) throws SQLException {
        String quoted;
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT quote_ident(?)")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                quoted = rows.getString(1);
            }
        }
        dropQuoted(quoted);
    }

    /** The databases whose name starts with {@code prefix} (compared as text, never as a LIKE pattern). */
    public List<String> namesStartingWith(String prefix) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = admin.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT datname FROM pg_database WHERE starts_with(datname, ?)")) {
            statement.setString(1, prefix);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    /** Client sessions whose application name starts with {@code prefix}: pid to application name. */
    public Map<Integer, String> sessionsOf(String prefix) throws SQLException {
        Map<Integer, String> sessions = new HashMap<>();
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT pid, application_name FROM pg_stat_activity WHERE starts_with(application_name, ?)")) {
            statement.setString(1, prefix);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sessions.put(rows.getInt(1), rows.getString(2));
                }
            }
        }
        return sessions;
    }

    /** Terminates a backend and, where the server can (14+), waits up to 5 s for it to be gone. */
    public void terminate(int pid) throws SQLException {
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        majorVersion >= 14
                                ? "SELECT pg_terminate_backend(?, 5000)"
                                : "SELECT pg_terminate_backend(?)")) {
            statement.setInt(1, pid);
            statement.execute();
        }
    }

    /**
     * Who holds an advisory lock, for a timeout's message: {@code pid 4242 (application 'isolatedpg-builder-…', state
     * active for 12 s)}, or a note that nobody does any more.
     */
    public String describeAdvisoryLockHolders(long namespace, int key) {
        String sql = "SELECT a.pid, a.application_name, a.state, extract(epoch FROM now() - a.state_change)::bigint"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'"
                + " AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 2 ORDER BY a.pid";
        List<String> holders = new ArrayList<>();
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, namespace);
            statement.setLong(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    holders.add("pid " + rows.getInt(1) + " (application '" + rows.getString(2) + "', state "
                            + rows.getString(3) + " for " + rows.getLong(4) + " s)");
                }
            }
        } catch (SQLException e) {
            return "unknown (" + SqlStates.describe(e) + ")";
        }
        return holders.isEmpty() ? "nobody any more" : String.join(", ", holders);
    }

    /**
     * Records, in the template's comment, that it was used now (by the server's clock, shared by every JVM), keeping
     * what else it records (the steps it was built from, its label).
     */
    public void markUsed(String template) throws SQLException {
        comment(template, currentRecord(template).orElse(null));
    }

    /**
     * Writes a template's comment: its last use (now) and, when not null, what it records (lines such as the steps
     * it was built from).
     */
    public void comment(String template, String record) throws SQLException {
        String comment = LAST_USED + now() + (record == null ? "" : "\n" + record);
        // COMMENT takes a literal only, no parameter: the text is ours (a timestamp, digits and hex), quoted anyway
        execute("COMMENT ON DATABASE " + Identifiers.quote(template) + " IS '" + comment.replace("'", "''") + "'");
    }

    private Optional<String> currentRecord(String template) throws SQLException {
        return comment(template)
                .map(comment -> comment.lines().skip(1).collect(java.util.stream.Collectors.joining("\n")))
                .filter(record -> !record.isEmpty());
    }

    /** A database's comment, if it has one. */
    public Optional<String> comment(String database) throws SQLException {
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /** The server's clock. */
    public Instant now() throws SQLException {
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT now()")) {
            rows.next();
            return rows.getTimestamp(1).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private boolean queryForBoolean(String sql, String parameter) throws SQLException {
        try (Connection connection = admin.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }
}
