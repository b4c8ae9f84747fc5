package org.isolatedpg.core.internal.sql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What a test may have changed in its clone, read on a connection to the clone: two readings equal mean the clone is
 * as it was, so it can go to the next test as it is.
 *
 * <p>Why statistics and not the rows: comparing content costs a read of every table. PostgreSQL already counts, per
 * database, every tuple inserted, updated and deleted — committed or rolled back, in user tables and in the system
 * catalogues alike — so DML on any kind of table, DDL of any kind (it writes the catalogues), {@code TRUNCATE} (a new
 * relfilenode is a {@code pg_class} update), large objects ({@code pg_largeobject}), comments, grants, extensions,
 * {@code ANALYZE} ({@code pg_statistic}) and temporary tables all move {@code tup_inserted}, {@code tup_updated} or
 * {@code tup_deleted}. What those counters miss is read directly:
 *
 * <ul>
 *   <li>sequences ({@code nextval} and {@code setval} change them in place): each one's value;
 *   <li>{@code VACUUM}, which changes {@code pg_class} in place: the vacuum and analyze counts of the database's own
 *       relations (a shared catalogue's are everyone's), which PostgreSQL 15 and later update at once;
 *   <li>the database's own row and what shared catalogues hold for it ({@code ALTER DATABASE … SET}, {@code COMMENT
 *       ON DATABASE}, {@code GRANT … ON DATABASE}, a rename, dependencies on roles, subscriptions, replication slots):
 *       shared catalogues count under no database;
 *   <li>prepared transactions, and sessions still connected that are not the caller's;
 *   <li>{@code pg_stat_reset()}, which would zero the counters: their reset time.
 * </ul>
 *
 * <p>The counters are exact only once every session that wrote has handed its pending counts over: a session does at
 * exit (before it leaves {@code pg_stat_activity}) and, asked by {@code pg_stat_force_next_flush()}, before it answers
 * its next query. So the caller flushes every session it holds, reads the other sessions first and the counters
 * after: a session gone by then has flushed, one still there makes the readings differ. The counters need
 * PostgreSQL 15 (shared-memory statistics) and {@code track_counts}; without them {@link #read} says it cannot tell.
 *
 * <p>Session state ({@code SET}, prepared statements, {@code LISTEN}, advisory locks, temporary tables, cursors) is
 * not read but reset: {@link #resetSession}.
 */
public final class CloneState {

    private static final String OTHER_SESSIONS =
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND backend_type = 'client backend' AND pid <> ALL (?)";

    /** The database's tuple counters: the first line of {@link #SHARED}. */
    private static final String TUPLES = "'tuples ' || coalesce((SELECT tup_inserted || '/' || tup_updated || '/'"
            + " || tup_deleted || '/' || coalesce(stats_reset::text, '-') FROM pg_stat_database WHERE datid = d.oid),"
            + " '-')";

    /**
     * What the shared catalogues and the cumulative statistics hold for one database: readable from any database, so
     * read on the admin pool when a clone is made (its baseline) and on the clone's own connection after its test.
     */
    private static final String SHARED = """
            SELECT concat_ws(E'\n',
                %s,
                'prepared ' || (SELECT count(*) FROM pg_prepared_xacts WHERE database = d.datname),
                'database ' || row(d.datname, d.datdba, d.datistemplate, d.datallowconn, d.datconnlimit, d.datacl,
                    d.dattablespace)::text,
                'settings ' || coalesce((SELECT string_agg(setrole || ':' || array_to_string(setconfig, ','), ';'
                    ORDER BY setrole) FROM pg_db_role_setting WHERE setdatabase = d.oid), ''),
                'comment ' || coalesce(shobj_description(d.oid, 'pg_database'), ''),
                'labels ' || (SELECT count(*) FROM pg_shseclabel WHERE objoid = d.oid),
                'dependencies ' || (SELECT count(*) FROM pg_shdepend WHERE dbid = d.oid),
                'subscriptions ' || (SELECT count(*) FROM pg_subscription WHERE subdbid = d.oid),
                'slots ' || (SELECT count(*) FROM pg_replication_slots WHERE database = d.datname))
            FROM pg_database d WHERE d.datname = ?""".formatted(TUPLES);

    /**
     * What only a session in the database can read: whether changes are counted at all, the vacuum and analyze counts
     * of its own relations (from statistics, no relation opened), and every sequence's value, {@code nextval} and
     * {@code setval} changing them in place. The same for every new clone of a template: read once per pool.
     */
    private static final String LOCAL = """
            SELECT concat_ws(E'\n',
                'track_counts ' || current_setting('track_counts'),
                'maintenance ' || (SELECT coalesce(sum(pg_stat_get_vacuum_count(oid) + pg_stat_get_autovacuum_count(oid)
                    + pg_stat_get_analyze_count(oid) + pg_stat_get_autoanalyze_count(oid)), 0)
                    FROM pg_class WHERE relkind IN ('r', 'm', 't') AND NOT relisshared),
                'sequences ' || coalesce((SELECT string_agg(c.oid || '=' || CASE
                        WHEN has_sequence_privilege(c.oid, 'SELECT') OR has_sequence_privilege(c.oid, 'USAGE')
                        THEN coalesce(pg_sequence_last_value(c.oid)::text, 'never')
                        ELSE 'unreadable' END, ',' ORDER BY c.oid)
                    FROM pg_class c WHERE c.relkind = 'S' AND c.relpersistence <> 't'), ''))""";

    private CloneState() {}

    /** Whether the server counts what {@link #read} needs: PostgreSQL 15 or later. */
    public static boolean supported(int majorVersion) {
        return majorVersion >= 15;
    }

    /**
     * Ends whatever a test left in a session: settings, prepared statements, cursors, {@code LISTEN}, advisory locks,
     * temporary tables ({@code DISCARD ALL}); then has the session hand its statistics over.
     */
    public static void resetSession(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DISCARD ALL");
            statement.execute("SELECT pg_stat_force_next_flush()"); // flushed before the answer comes back
        }
    }

    /**
     * Deallocates the statements the driver prepared on the server for the readings themselves (pgjdbc names a
     * statement it ran five times on a connection), so that the next test finds none it did not make; the driver
     * notices and forgets them too.
     */
    public static void forgetOwnStatements(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DEALLOCATE ALL");
        }
    }

    /** The server process behind a connection. */
    public static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /**
     * The baseline of a database just made, read through any connection to the server (the admin pool's): what the
     * shared catalogues and its statistics hold for it. What only a session in it could read is known for a new
     * database without asking (see {@link #unchanged}).
     */
    public static String baseline(Connection anywhere, String database) throws SQLException {
        return shared(anywhere, database);
    }

    /**
     * What only a session in a new clone can read ({@link #LOCAL}), the same for every clone of its template; empty
     * when it cannot vouch for anything (changes not counted, a sequence the role may not read).
     */
    public static java.util.Optional<String> local(Connection clone) throws SQLException {
        try (Statement statement = clone.createStatement();
                ResultSet rows = statement.executeQuery(LOCAL)) {
            rows.next();
            String local = rows.getString(1);
            return local.startsWith("track_counts on\n") && !local.contains("unreadable")
                    ? java.util.Optional.of(local)
                    : java.util.Optional.empty();
        }
    }

    /**
     * Whether the clone {@code connection} is on is as {@code baseline} says, all its sessions (backend pids {@code
     * own}) {@linkplain #resetSession reset} and flushed first. Decided by the tuple counters alone when a test
     * wrote: one cheap query.
     */
    public static boolean unchanged(
            Connection connection, String database, String baseline, String local, List<Integer> own)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(OTHER_SESSIONS)) {
            Array pids = connection.createArrayOf("int4", own.toArray());
            statement.setArray(1, pids);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                if (rows.getLong(1) > 0) {
                    return false; // read first: a session gone by the reading of the counters below has flushed
                }
            }
        }
        String shared = shared(connection, database);
        if (!shared.equals(baseline)) {
            return false;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(LOCAL)) {
            rows.next();
            return rows.getString(1).equals(local);
        }
    }

    /** The lines that differ between a baseline and now, for the log. */
    public static String describe(Connection connection, String database, String baseline) throws SQLException {
        String now = shared(connection, database);
        List<String> was = baseline.lines().toList();
        return now.lines().filter(line -> !was.contains(line)).toList() + " (was "
                + was.stream()
                        .filter(line -> !now.lines().toList().contains(line))
                        .toList() + ")";
    }

    private static String shared(Connection connection, String database) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SHARED)) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("Database " + database + " is gone", SqlStates.INVALID_CATALOG_NAME);
                }
                return rows.getString(1);
            }
        }
    }

    /** The prepared transactions left in the clone, by global id: they keep it from being dropped. */
    public static List<String> preparedTransactions(Connection connection) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    /** Rolls a prepared transaction back; it must be done connected to its database. */
    public static void rollbackPrepared(Connection connection, String globalId) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK PREPARED '" + globalId.replace("'", "''") + "'");
        }
    }
}
