package org.isolatedpg.core.internal.sql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 *   <li>sequences ({@code nextval} and {@code setval} change them in place): each one's last value;
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

    /** Marks a sequence whose value the reading role may not see: such a reading cannot vouch for anything. */
    private static final String UNREADABLE = "unreadable";

    private static final String OTHER_SESSIONS =
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND backend_type = 'client backend' AND pid <> ALL (?)";

    /** The database's tuple counters, one line of {@link #STATE}. */
    private static final String TUPLES =
            "SELECT 'tuples ' || coalesce((SELECT tup_inserted || '/' || tup_updated || '/'"
                    + " || tup_deleted || '/' || coalesce(stats_reset::text, '-') FROM pg_stat_database"
                    + " WHERE datname = current_database()), '-')";

    private static final String STATE = """
            SELECT concat_ws(E'\\n',
                'track_counts ' || current_setting('track_counts'),
                (%s),
                'maintenance ' || (SELECT coalesce(sum(vacuum_count + autovacuum_count + analyze_count
                    + autoanalyze_count), 0) FROM pg_stat_all_tables s JOIN pg_class c ON c.oid = s.relid
                    WHERE NOT c.relisshared),
                'sequences ' || coalesce((SELECT string_agg(c.oid || '=' || CASE
                        WHEN has_sequence_privilege(c.oid, 'SELECT') OR has_sequence_privilege(c.oid, 'USAGE')
                        THEN coalesce(pg_sequence_last_value(c.oid)::text, 'never')
                        ELSE 'unreadable' END, ',' ORDER BY c.oid)
                    FROM pg_class c WHERE c.relkind = 'S' AND c.relpersistence <> 't'), ''),
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
            FROM pg_database d WHERE d.datname = current_database()""".formatted(TUPLES);

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
     * The clone's state as seen on {@code connection}, whose sessions (backend pids {@code own}) have all been
     * {@linkplain #resetSession reset}; empty when it cannot be told (statistics off, a sequence this role may not
     * read).
     */
    public static Optional<String> read(Connection connection, List<Integer> own) throws SQLException {
        long others;
        try (PreparedStatement statement = connection.prepareStatement(OTHER_SESSIONS)) {
            Array pids = connection.createArrayOf("int4", own.toArray());
            statement.setArray(1, pids);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                others = rows.getLong(1);
            }
        }
        String state;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(STATE)) {
            if (!rows.next()) {
                return Optional.empty();
            }
            state = rows.getString(1);
        }
        if (!state.startsWith("track_counts on\n") || state.contains(UNREADABLE)) {
            return Optional.empty();
        }
        return Optional.of("other sessions " + others + "\n" + state);
    }

    /**
     * Whether the tuple counters alone already tell the clone changed from {@code baseline} (a {@link #read} result):
     * one cheap query, which decides for every test that wrote rows or DDL.
     */
    public static boolean tuplesChanged(Connection connection, String baseline) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(TUPLES)) {
            rows.next();
            return !baseline.contains("\n" + rows.getString(1) + "\n");
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
