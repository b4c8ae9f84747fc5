package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;

/**
 * A clone goes to the next test as it is only when its test changed nothing: every kind of change a test can make is
 * made, in a random order, through a random kind of connection, alone or with others, and after each test the next
 * lease must see a database exactly like the first one (an independent reading: catalog and data, large objects, the
 * database's settings and comment and grants, prepared transactions, locks, and the session's state), and a clone
 * whose test changed it must not have been reused. Tests that only read must get their clone back. The seed is
 * printed; {@code -Duntouched.seed=…} runs one again.
 */
@Execution(
        ExecutionMode
                .CONCURRENT) // Both privilege modes at once, two pools on one server, as a parallel suite has them.
class UntouchedExactnessTests {

    /** Extra random tests on top of one per kind of change. */
    private static final int EXTRA_TESTS = 20;

    @TempDir
    static Path dataDirectory;

    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start(Configuration.from(List.of(ConfigSource.of(
                        "test",
                        Map.of(
                                ConfigKeys.EMBEDDED_DATA_DIRECTORY,
                                dataDirectory.toString(),
                                // PREPARE TRANSACTION needs it; off by default. Both runs at once, each with up to
                                // three tests at a time. An autovacuum worker that analyses a clone changes it
                                // (pg_statistic, its counters): the check then rightly drops it, and a read-only
                                // test's clone would not come back as this test expects. It can only add changes,
                                // never hide one, so without it the test loses nothing of what it proves.
                                ConfigKeys.EMBEDDED_SETTINGS,
                                "max_prepared_transactions=8,autovacuum=off"))))
                .serverSettings());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** What a test does to its database; {@code outcome} says what the pool must make of it. */
    private record Change(String name, Outcome outcome, boolean adminOnly, Action action) {
        @Override
        public String toString() {
            return name;
        }
    }

    private enum Outcome {
        /** The database changed: the clone must not be reused. */
        CHANGED,
        /** Only the session changed: the clone may be reused, its session reset. */
        SESSION,
        /** Nothing visible changed (a rollback, an update to the same value, VACUUM): either, as long as pristine. */
        EITHER,
        /** Only read: the clone must be reused. */
        READ
    }

    @FunctionalInterface
    private interface Action {
        void apply(Connection connection, TestDatabase db, Random random) throws SQLException;
    }

    private enum Channel {
        /** The DataSource's first connection: the warm one. */
        WARM,
        /** A second connection of the DataSource, taken while the first is held. */
        SECOND,
        /** A connection the test opens itself on the database's URL, closed before the test ends. */
        OWN,
        /** The first connection, in a transaction that commits. */
        TRANSACTION
    }

    private static List<Change> changes() {
        List<Change> changes = new ArrayList<>();
        changed(changes, "INSERT into a plain table", "INSERT INTO plain (name) VALUES ('new ' || %d)");
        changed(changes, "INSERT into an empty table", "INSERT INTO empty_table (note) VALUES ('n%d')");
        changed(changes, "INSERT into an unlogged table", "INSERT INTO unlogged_table VALUES ('k%d', 'v')");
        changed(changes, "INSERT into a partitioned table", "INSERT INTO measurement VALUES (%d, '2026-07-01', 1)");
        changed(changes, "UPDATE a row", "UPDATE plain SET name = name || '!' WHERE id = 1 + %d %% 20");
        changed(changes, "UPDATE a partition's row", "UPDATE measurement SET peak = peak + 1 + %d WHERE city = 2");
        changed(changes, "UPDATE a TOASTed value", "UPDATE toasted SET body = body || '%d'");
        changed(changes, "DELETE a row", "DELETE FROM plain WHERE id = 1 + %d %% 20");
        changed(changes, "DELETE from an unlogged table", "DELETE FROM unlogged_table WHERE k = 'a' AND %d >= 0");
        changed(changes, "DELETE from a partitioned table", "DELETE FROM measurement WHERE city = 1 AND %d >= 0");
        changed(changes, "TRUNCATE an empty table", "TRUNCATE empty_table /* %d */");
        changed(changes, "TRUNCATE an unlogged table", "TRUNCATE unlogged_table /* %d */");
        changes.add(new Change("COPY into a table", Outcome.CHANGED, false, (connection, db, random) -> {
            try {
                connection
                        .unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn("COPY plain (name) FROM STDIN", new StringReader("copied " + random.nextInt() + "\n"));
            } catch (java.io.IOException e) {
                throw new SQLException(e);
            }
        }));
        changed(changes, "CREATE TABLE", "CREATE TABLE created_%d (id int)");
        changed(changes, "CREATE INDEX", "CREATE INDEX plain_name_%d ON plain (name)");
        changed(changes, "ALTER TABLE ADD COLUMN", "ALTER TABLE plain ADD COLUMN extra_%d int");
        changed(changes, "ALTER TABLE RENAME COLUMN", "ALTER TABLE plain RENAME COLUMN doc TO doc_%d");
        changed(changes, "DROP TABLE", "DROP TABLE empty_table /* %d */");
        changed(changes, "CREATE VIEW", "CREATE VIEW view_%d AS SELECT 1 AS one");
        changed(changes, "DROP VIEW", "DROP VIEW plain_names /* %d */");
        changed(changes, "REFRESH MATERIALIZED VIEW", "REFRESH MATERIALIZED VIEW mood_counts /* %d */");
        changed(changes, "CREATE FUNCTION", "CREATE FUNCTION f_%d() RETURNS int LANGUAGE sql AS 'SELECT 1'");
        changed(changes, "DROP FUNCTION", "DROP FUNCTION add_numbers(int, int) /* %d */");
        changed(changes, "CREATE TYPE", "CREATE TYPE type_%d AS (a int, b text)");
        changed(changes, "ALTER TYPE ADD VALUE", "ALTER TYPE mood ADD VALUE 'meh_%d'");
        changed(changes, "CREATE DOMAIN", "CREATE DOMAIN positive_%d AS int CHECK (VALUE > 0)");
        changed(changes, "CREATE SCHEMA", "CREATE SCHEMA schema_%d");
        changed(
                changes,
                "CREATE TRIGGER",
                "CREATE FUNCTION touch_%1$d() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
                        + " CREATE TRIGGER touch_%1$d BEFORE INSERT ON plain FOR EACH ROW EXECUTE FUNCTION touch_%1$d()");
        changed(
                changes,
                "row-level security and a policy",
                "ALTER TABLE plain ENABLE ROW LEVEL SECURITY; CREATE POLICY p_%d ON plain USING (true)");
        changed(changes, "ALTER SEQUENCE RESTART", "ALTER SEQUENCE counter RESTART WITH %d");
        changed(changes, "nextval", "SELECT nextval('counter') + %d");
        changed(changes, "nextval of an identity", "SELECT nextval(pg_get_serial_sequence('plain', 'id')) + %d");
        changed(changes, "setval", "SELECT setval('counter', 500 + %d)");
        changed(changes, "a new large object", "SELECT lo_from_bytea(0, 'new %d')");
        changes.add(new Change(
                "write a large object",
                Outcome.CHANGED,
                true, // the template's large object is the admin's
                sql("SELECT lo_put((SELECT min(oid) FROM pg_largeobject_metadata), 0, '%d')")));
        changes.add(new Change(
                "unlink a large object",
                Outcome.CHANGED,
                true,
                sql("SELECT lo_unlink((SELECT min(oid) FROM pg_largeobject_metadata)) + %d")));
        changed(changes, "COMMENT ON TABLE", "COMMENT ON TABLE plain IS 'changed %d'");
        changed(changes, "COMMENT ON COLUMN", "COMMENT ON COLUMN plain.name IS 'named %d'");
        changed(changes, "GRANT on a table", "GRANT SELECT ON plain TO PUBLIC /* %d */");
        changed(changes, "REVOKE on a table", "REVOKE ALL ON toasted FROM PUBLIC /* %d */");
        changed(changes, "CREATE EXTENSION", "CREATE EXTENSION IF NOT EXISTS citext /* %d */");
        changes.add(
                new Change("COMMENT ON DATABASE", Outcome.CHANGED, false, onDatabase("COMMENT ON DATABASE %s IS 'x'")));
        changes.add(new Change(
                "GRANT on the database", Outcome.CHANGED, false, onDatabase("GRANT CONNECT ON DATABASE %s TO PUBLIC")));
        changes.add(new Change(
                "ALTER DATABASE SET", Outcome.CHANGED, false, onDatabase("ALTER DATABASE %s SET work_mem = '7MB'")));
        changes.add(new Change("a prepared transaction that wrote", Outcome.CHANGED, false, prepared(true)));
        changes.add(new Change("a prepared transaction that only read", Outcome.CHANGED, false, prepared(false)));
        changes.add(
                new Change("a temporary table", Outcome.EITHER, false, sql("CREATE TEMP TABLE scratch_%d (x int)")));
        changes.add(new Change("VACUUM", Outcome.EITHER, false, sql("VACUUM plain /* %d */")));
        changes.add(new Change("ANALYZE", Outcome.EITHER, false, sql("ANALYZE plain /* %d */")));
        changes.add(new Change("an INSERT rolled back", Outcome.EITHER, false, (connection, db, random) -> {
            connection.setAutoCommit(false);
            try (Statement statement = timed(connection)) {
                statement.execute("INSERT INTO plain (name) VALUES ('gone')");
            }
            connection.rollback();
            connection.setAutoCommit(true);
        }));
        changes.add(new Change(
                "an UPDATE to the same value",
                Outcome.EITHER,
                false,
                sql("UPDATE plain SET name = name WHERE id = 1 + %d %% 20")));
        changes.add(new Change(
                "SELECT FOR UPDATE",
                Outcome.EITHER,
                false,
                sql("SELECT * FROM plain WHERE id = 1 + %d %% 20 FOR UPDATE")));
        changes.add(new Change("SET", Outcome.SESSION, false, sql("SET work_mem = '%dkB'", 64, 4096)));
        changes.add(
                new Change("SET search_path", Outcome.SESSION, false, sql("SET search_path = pg_catalog /* %d */")));
        changes.add(new Change(
                "SET statement_timeout", Outcome.SESSION, false, sql("SET statement_timeout = %d", 1000, 9000)));
        changes.add(new Change(
                "SET SESSION CHARACTERISTICS",
                Outcome.SESSION,
                false,
                sql("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY /* %d */")));
        changes.add(new Change("PREPARE", Outcome.SESSION, false, sql("PREPARE stmt_%d AS SELECT 1")));
        changes.add(new Change("LISTEN", Outcome.SESSION, false, sql("LISTEN channel_%d")));
        changes.add(new Change("a held advisory lock", Outcome.SESSION, false, sql("SELECT pg_advisory_lock(%d)")));
        changes.add(new Change(
                "a cursor WITH HOLD",
                Outcome.SESSION,
                false,
                sql("DECLARE cursor_%d CURSOR WITH HOLD FOR SELECT * FROM plain")));
        changes.add(new Change("SET ROLE", Outcome.SESSION, false, (connection, db, random) -> {
            try (Statement statement = timed(connection)) {
                statement.execute(
                        db.username().equals(server.attachment().server().user())
                                ? "SET ROLE pg_monitor"
                                : "SET ROLE ipg_owner");
            }
        }));
        changes.add(new Change("JDBC read-only, autocommit off, left open", Outcome.SESSION, false, (c, db, random) -> {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            try (Statement statement = timed(c)) {
                statement.executeQuery("SELECT count(*) FROM plain").close();
            }
        }));
        return changes;
    }

    private static List<Change> reads() {
        List<Change> reads = new ArrayList<>();
        for (String query : List.of(
                "SELECT count(*) + %d FROM plain",
                "SELECT * FROM plain_names WHERE length(name) > %d",
                "SELECT add_numbers(%d, 2)",
                "SELECT * FROM measurement WHERE peak > %d",
                "SELECT length(body) + %d FROM toasted",
                "SELECT * FROM mood_counts WHERE n > %d",
                "SELECT currval('counter') WHERE %d < 0",
                "SELECT count(*) FROM pg_class WHERE oid > %d")) {
            reads.add(new Change("read: " + query, Outcome.READ, false, sql(query)));
        }
        return reads;
    }

    /**
     * A statement that gives up after 10 s: a change that follows another may wait for a lock the first left held by
     * another of the test's connections (an open transaction on the warm one) — the test's own deadlock. Cancelled,
     * it counts as that change failing, as any other refusal does.
     */
    private static Statement timed(Connection connection) throws SQLException {
        Statement statement = connection.createStatement();
        statement.setQueryTimeout(10);
        return statement;
    }

    private static void changed(List<Change> changes, String name, String sql) {
        changes.add(new Change(name, Outcome.CHANGED, false, sql(sql)));
    }

    private static Action sql(String template) {
        return sql(template, 1, 1_000_000);
    }

    private static Action sql(String template, int from, int to) {
        return (connection, db, random) -> {
            try (Statement statement = timed(connection)) {
                statement.execute(String.format(template, from + random.nextInt(to - from)));
            }
        };
    }

    private static Action onDatabase(String template) {
        return (connection, db, random) -> {
            try (Statement statement = timed(connection)) {
                statement.execute(String.format(template, db.name()));
            }
        };
    }

    private static Action prepared(boolean write) {
        return (connection, db, random) -> {
            connection.setAutoCommit(false);
            try (Statement statement = timed(connection)) {
                statement.execute(
                        write ? "INSERT INTO plain (name) VALUES ('prepared')" : "SELECT count(*) FROM plain");
                statement.execute("PREPARE TRANSACTION 'gid_" + random.nextInt(1_000_000) + "'");
            }
            connection.setAutoCommit(true); // the prepared transaction is no longer this session's
        };
    }

    @ParameterizedTest(name = "{0} privileges")
    @ValueSource(strings = {"restricted", "admin"})
    void aCloneIsReusedOnlyWhenItsTestChangedNothing(String privileges) throws Exception {
        long seed = Long.getLong("untouched.seed", System.nanoTime());
        System.out.println("UntouchedExactnessTests (" + privileges + "): seed " + seed);
        Random random = new Random(seed);
        boolean admin = privileges.equals("admin");
        List<Change> plan = new ArrayList<>();
        changes().stream().filter(change -> admin || !change.adminOnly()).forEach(plan::add);
        plan.addAll(reads());
        List<Change> all = List.copyOf(plan);
        for (int i = 0; i < EXTRA_TESTS; i++) {
            plan.add(all.get(random.nextInt(all.size())));
        }
        Collections.shuffle(plan, random);
        PoolSettings settings = Configuration.from(List.of(ConfigSource.of(
                        "test",
                        Map.of(
                                ConfigKeys.POOL_SIZE, "1",
                                ConfigKeys.DATASOURCE_PRIVILEGES, privileges,
                                ConfigKeys.DATASOURCE_MAXIMUM_POOL_SIZE, "3"))))
                .poolSettings();
        try (TestDatabasePool pool =
                TestDatabasePool.open(server, TemplateSpec.of("classpath:db/untouched"), settings)) {
            String pristine = null;
            List<String> history = new ArrayList<>();
            for (Change first : plan) {
                List<Change> test = new ArrayList<>(List.of(first));
                if (first.outcome() != Outcome.READ && random.nextInt(4) == 0) { // now and then, two or three at once
                    for (int more = 1 + random.nextInt(2); more > 0; more--) {
                        Change next = plan.get(random.nextInt(plan.size()));
                        if (next.outcome() != Outcome.READ) {
                            test.add(next);
                        }
                    }
                }
                try (TestDatabase db = pool.lease()) {
                    String seen = oracle(db);
                    if (pristine == null) {
                        pristine = seen;
                    }
                    assertThat(seen)
                            .as("the database after %s (seed %d)", history, seed)
                            .isEqualTo(pristine);
                    long reusedBefore = pool.statistics().clonesReused();
                    long checkedBefore = pool.statistics().clonesChecked();
                    List<Change> applied = new ArrayList<>();
                    String how = apply(db, test, random, applied);
                    history.add(how);
                    db.release();
                    awaitQuiet(pool);
                    long reused = pool.statistics().clonesReused() - reusedBefore;
                    boolean checked = pool.statistics().clonesChecked() > checkedBefore;
                    if (applied.stream().anyMatch(change -> change.outcome() == Outcome.CHANGED)) {
                        assertThat(reused)
                                .as("reused after %s (seed %d)", how, seed)
                                .isZero();
                    } else if (checked // after many changes in a row the pool checks only a sample
                            && applied.stream().allMatch(change -> change.outcome() == Outcome.READ)) {
                        assertThat(reused)
                                .as("reused after %s (seed %d)", how, seed)
                                .isOne();
                    }
                }
            }
            assertThat(pool.statistics().clonesReused()).isPositive();
        }
    }

    /** Applies the changes of one test, each through a random kind of connection; says what it did. */
    private static String apply(TestDatabase db, List<Change> test, Random random, List<Change> applied)
            throws SQLException {
        List<String> done = new ArrayList<>();
        try (Connection warm = db.dataSource().getConnection()) {
            for (Change change : test) {
                try {
                    applyOne(db, warm, change, random, done);
                    applied.add(change);
                } catch (SQLException e) {
                    if (done.size() == 1) {
                        throw e; // the first change meets a pristine database: it must work
                    }
                    // A change after another may meet what the first did (a dropped table, a read-only session).
                    done.set(done.size() - 1, done.get(done.size() - 1) + " (failed: " + e.getSQLState() + ")");
                    if (!warm.getAutoCommit()) {
                        warm.rollback();
                        warm.setAutoCommit(true);
                    }
                }
            }
        }
        return String.join(" + ", done);
    }

    private static void applyOne(TestDatabase db, Connection warm, Change change, Random random, List<String> done)
            throws SQLException {
        Channel channel = change.outcome() == Outcome.READ
                ? (random.nextBoolean() ? Channel.WARM : Channel.SECOND)
                : Channel.values()[random.nextInt(Channel.values().length)];
        done.add(change + " via " + channel);
        switch (channel) {
            case WARM -> change.action().apply(warm, db, random);
            case SECOND -> {
                try (Connection second = db.dataSource().getConnection()) {
                    change.action().apply(second, db, random);
                }
            }
            case OWN -> {
                try (Connection own = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
                    change.action().apply(own, db, random);
                }
            }
            case TRANSACTION -> {
                if (!warm.getAutoCommit()) {
                    change.action().apply(warm, db, random);
                    break;
                }
                warm.setAutoCommit(false);
                try {
                    change.action().apply(warm, db, random);
                } catch (SQLException e) {
                    if (!"25001".equals(e.getSQLState())) { // VACUUM: not in a transaction block
                        throw e;
                    }
                    warm.rollback();
                    warm.setAutoCommit(true);
                    change.action().apply(warm, db, random);
                }
                if (!warm.getAutoCommit()) {
                    warm.commit();
                    warm.setAutoCommit(true);
                }
            }
        }
    }

    /**
     * The database as a test sees it, read independently of the pool: its session's state on the DataSource's first
     * connection, and with the admin role on a connection of its own, the catalog and data, large objects, the
     * database's settings, comment and grants, prepared transactions and advisory locks.
     */
    private static String oracle(TestDatabase db) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection connection = db.dataSource().getConnection()) {
            lines.add("autocommit " + connection.getAutoCommit() + ", read-only " + connection.isReadOnly()
                    + ", isolation " + connection.getTransactionIsolation());
            lines.add(row(
                    connection,
                    "SELECT current_user = session_user, session_user = '" + db.username() + "',"
                            + " current_setting('work_mem'), current_setting('search_path'),"
                            + " current_setting('statement_timeout'), current_setting('default_transaction_read_only'),"
                            + " (SELECT count(*) FROM pg_prepared_statements WHERE from_sql), (SELECT count(*) FROM"
                            + " pg_listening_channels()), (SELECT count(*) FROM pg_cursors), (SELECT count(*) FROM"
                            + " pg_class WHERE relnamespace = pg_my_temp_schema()), (SELECT count(*) FROM pg_locks"
                            + " WHERE locktype = 'advisory' AND pid = pg_backend_pid())"));
        }
        try (Connection admin = Admin.of(server).connectTo(db.name() + "?ApplicationName=oracle")) {
            lines.addAll(CatalogSnapshot.of(admin));
            lines.add(row(
                    admin,
                    "SELECT (SELECT string_agg(oid || ':' || md5(lo_get(oid)), ',' ORDER BY oid) FROM"
                            + " pg_largeobject_metadata), (SELECT array_agg(setconfig) FROM pg_db_role_setting WHERE"
                            + " setdatabase = d.oid), shobj_description(d.oid, 'pg_database'), d.datacl::text,"
                            + " (SELECT count(*) FROM pg_prepared_xacts WHERE database = d.datname), (SELECT count(*)"
                            + " FROM pg_locks WHERE locktype = 'advisory' AND database = d.oid), d.datallowconn,"
                            + " d.datconnlimit FROM pg_database d WHERE d.datname = current_database()"));
        }
        // Its session must be gone before the test ends: one still there is another session than the test's own.
        try (Connection admin = Admin.of(server).connect();
                java.sql.PreparedStatement statement = admin.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND application_name = 'oracle'")) {
            statement.setString(1, db.name());
            for (int left = 1; left > 0; ) {
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    left = rows.getInt(1);
                }
            }
        }
        return lines.stream().map(line -> line.replace(db.name(), "<clone>")).collect(Collectors.joining("\n"));
    }

    private static String row(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                values.add(String.valueOf(rows.getObject(i)));
            }
            return String.join(" | ", values);
        }
    }

    /** Waits until the clone given back was checked (and went back, or was dropped and replaced). */
    private static void awaitQuiet(TestDatabasePool pool) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!pool.snapshot().matches("ready=1, leased=0, returning=0, creating=0, dropping=0, waiting=0")) {
            assertThat(System.nanoTime())
                    .as("the given-back clone checked and the pool full again: %s", pool.snapshot())
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
