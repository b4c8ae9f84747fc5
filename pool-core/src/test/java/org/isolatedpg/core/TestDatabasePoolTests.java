package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

@ResourceLock(SharedServers.EMBEDDED_DEFAULT)
class TestDatabasePoolTests {

    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start(Configuration.fromSystem().serverSettings());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static PoolSettings settings(Map<String, String> values) {
        return Configuration.from(List.of(ConfigSource.of("test", values))).poolSettings();
    }

    @Test
    void leasesMigratedClonesWithDistinctNames() throws SQLException {
        try (TestDatabasePool pool =
                TestDatabasePool.open(server, TemplateSpec.of("classpath:db/pooltest"), settings(Map.of()))) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                try (TestDatabase db = pool.lease()) {
                    names.add(db.name());
                    assertThat(db.jdbcUrl()).endsWith("/" + db.name()).doesNotContain(db.password());
                    try (Connection connection = db.dataSource().getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.execute("INSERT INTO item (name) VALUES ('mine')");
                        try (ResultSet rows =
                                statement.executeQuery("SELECT string_agg(name, ',' ORDER BY id) FROM item")) {
                            rows.next();
                            assertThat(rows.getString(1)).isEqualTo("first,second,mine");
                        }
                    }
                }
            }
            assertThat(names).hasSize(5).allMatch(name -> name.startsWith("ipg_"));
            assertThat(pool.statistics().leases()).isEqualTo(5);
        }
    }

    @Test
    void whileTestsKeepChangingTheirClonesOnlyASampleIsCheckedUntilOneComesBackUntouched() throws Exception {
        try (TestDatabasePool pool = TestDatabasePool.open(
                server, TemplateSpec.of("classpath:db/pooltest"), settings(Map.of(ConfigKeys.POOL_SIZE, "2")))) {
            for (int i = 0; i < 16; i++) {
                runTest(pool, "INSERT INTO item (name) VALUES ('mine')");
            }
            assertThat(pool.statistics().clonesChecked()).isEqualTo(16); // every one, until 16 in a row changed

            for (int i = 0; i < 16; i++) {
                runTest(pool, "INSERT INTO item (name) VALUES ('mine')");
            }
            assertThat(pool.statistics().clonesChecked()).isEqualTo(18); // then one in eight
            assertThat(pool.statistics().clonesReused()).isZero();

            int readOnly = 0;
            while (pool.statistics().clonesReused() == 0) { // read-only tests: a sampled one comes back
                runTest(pool, "SELECT count(*) FROM item");
                // The eighth is checked; on this shared cluster an autovacuum worker can visit a clone as it is
                // checked, which rightly counts as changed (a false "changed" is safe), and then the next sample
                // is eight tests later. Three samples leave room for that, and still prove the sampling ends.
                assertThat(++readOnly)
                        .as("read-only tests before one was checked and reused")
                        .isLessThanOrEqualTo(3 * 8);
            }
            long checked = pool.statistics().clonesChecked();
            runTest(pool, "INSERT INTO item (name) VALUES ('mine')");
            assertThat(pool.statistics().clonesChecked()).isEqualTo(checked + 1); // every one again
        }
    }

    /** One test: a lease, a statement, the release, and the check after it done. */
    private static void runTest(TestDatabasePool pool, String sql) throws Exception {
        try (TestDatabase db = pool.lease();
                Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        Admin.await(
                Duration.ofSeconds(30),
                "the returned clone checked or dropped: " + pool.snapshot(),
                () -> pool.snapshot().contains("returning=0"));
    }

    @Test
    void timesOutWithThePoolSnapshotAndTheLastFailureAsCause() throws Exception {
        // Row 16 of the fault matrix: someone stays connected to the template (an IDE, a stale Flyway pool), so every
        // clone waits 5 s for them and fails with 55006 — the environment's fault, retried until they leave.
        Map<String, String> values = Map.of(ConfigKeys.POOL_SIZE, "1", ConfigKeys.POOL_ACQUIRE_TIMEOUT, "8s");
        TemplateSpec spec = TemplateSpec.builder()
                .flyway(List.of("classpath:db/pooltest"))
                .flywayPlaceholders(Map.of("run", java.util.UUID.randomUUID().toString()))
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                .build();
        try (TestDatabasePool pool = TestDatabasePool.open(server, spec, settings(values));
                TestDatabase first = pool.lease()) {
            String template = pool.templateName();
            TemplateFaultTests.awaitReady(pool, 1);
            try (Connection intruder = Admin.of(server, first).intrudeOn(template);
                    TestDatabase second = pool.lease()) { // made before the intruder came
                assertThatThrownBy(pool::lease)
                        .isInstanceOf(PoolTimeoutException.class)
                        .hasMessageMatching("No test database became ready within PT8S for template [0-9a-f]{12}"
                                + " \\(ready=0, leased=2, returning=\\d, creating=\\d, dropping=\\d, waiting=1\\)\\.\n"
                                + "The server failed \\(the environment, not the migrations\\): SQLState 55006: ERROR:"
                                + " source database \"" + template + "\" is being accessed by other users\\. The"
                                + " last failure is the cause\\.")
                        .cause()
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("is being accessed by other users");
                assertThat(intruder.isValid(1)).isTrue();
            }
            try (TestDatabase next = pool.lease()) { // the intruder left: clones are made again
                assertThat(next.name()).isNotEqualTo(first.name());
            }
            dropTemplateBehindThePoolsBack(first, template);
        }
    }

    @Test
    void releaseClosesAndReportsConnectionsTheTestLeftOpen() throws SQLException {
        try (TestDatabasePool pool =
                TestDatabasePool.open(server, TemplateSpec.of("classpath:db/pooltest"), settings(Map.of()))) {
            TestDatabase db = pool.lease();
            Connection borrowed = db.dataSource().getConnection();
            Connection direct = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
            int directPid = backendPid(direct);

            ReleaseReport report = db.release();

            assertThat(report.database()).isEqualTo(db.name());
            assertThat(report.leakedConnections())
                    .containsExactly(
                            "1 connection(s) borrowed from the test's DataSource and never closed",
                            "connection opened outside the test's DataSource (backend pid " + directPid
                                    + ", application_name 'PostgreSQL JDBC Driver', state idle)");
            assertThat(db.release()).isSameAs(report);
            pool.close(); // waits for the background drop
            assertThat(borrowed.isValid(1)).isFalse();
            assertThat(direct.isValid(1)).isFalse();
            assertThat(databaseExists(db, db.name())).isFalse();
        }
    }

    @Test
    void failingMigrationNamesTheFileAndLeavesNothingBehind() throws SQLException {
        TemplateSpec broken = TemplateSpec.builder()
                .flyway(List.of("classpath:db/broken"))
                .flywayPlaceholders(Map.of())
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                .build();
        Throwable failure = catchThrowable(() -> TestDatabasePool.open(server, broken, settings(Map.of())));
        assertThat(failure)
                .isInstanceOf(TemplateBuildException.class)
                .hasMessageMatching("(?s)Could not build template [0-9a-f]{12}: migration V2__broken.sql failed"
                        + " \\(SQLState 42601\\)\\.\n"
                        + "-> Error            : ERROR: syntax error at or near \"TABLEX\"\n"
                        + "-> Source           : Flyway locations classpath:db/broken \\(from test\\)\n"
                        + "-> Server           : embedded PostgreSQL 18\\.\\d+ on 127\\.0\\.0\\.1:\\d+\n"
                        + "The migration's own error: fix the migration; the half-built template was dropped and"
                        + " nothing else was touched\\.");
        // Only this template's build database: other classes share the server and may be building theirs right now.
        String template = failure.getMessage()
                .substring("Could not build template ".length())
                .substring(0, 12);
        try (TestDatabasePool pool =
                        TestDatabasePool.open(server, TemplateSpec.of("classpath:db/pooltest"), settings(Map.of()));
                TestDatabase db = pool.lease()) {
            assertThat(databaseNames(db)).noneMatch(name -> name.startsWith("ipg_build_" + template));
        }
    }

    @Test
    void poolsOfOneTemplateUnderTwoSpellingsNeverTouchEachOthersDatabases() throws Exception {
        PoolSettings settings = settings(Map.of(ConfigKeys.POOL_SIZE, "3"));
        String run = java.util.UUID.randomUUID().toString();
        java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<TestDatabasePool>> opened = new ArrayList<>();
            String template;
            TestDatabase credentials;
            for (String location : List.of("classpath:db/pooltest", "classpath:/db/pooltest/")) {
                opened.add(threads.submit(() -> {
                    barrier.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    // A placeholder no migration uses makes a fingerprint no other test has built.
                    return TestDatabasePool.open(
                            server,
                            TemplateSpec.builder()
                                    .flyway(List.of(location))
                                    .flywayPlaceholders(Map.of("run", run))
                                    .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                                    .build(),
                            settings);
                }));
            }
            try (TestDatabasePool one = opened.get(0).get(60, java.util.concurrent.TimeUnit.SECONDS);
                    TestDatabasePool two = opened.get(1).get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                assertThat(one.templateName()).isEqualTo(two.templateName());
                assertThat(List.of(
                                one.statistics().templateReused(),
                                two.statistics().templateReused()))
                        .containsExactlyInAnyOrder(true, false);
                Set<String> names = new HashSet<>();
                for (int i = 0; i < 6; i++) {
                    try (TestDatabase a = one.lease();
                            TestDatabase b = two.lease();
                            Connection ca = a.dataSource().getConnection();
                            Connection cb = b.dataSource().getConnection()) {
                        assertThat(ca.isValid(1)).isTrue();
                        assertThat(cb.isValid(1)).isTrue();
                        // Written to, so that neither goes to the next lease as it is.
                        ca.createStatement().execute("INSERT INTO item (name) VALUES ('a')");
                        cb.createStatement().execute("INSERT INTO item (name) VALUES ('b')");
                        names.add(a.name());
                        names.add(b.name());
                    }
                }
                assertThat(names).hasSize(12);
                template = one.templateName();
                credentials = one.lease();
                credentials.close();
            }
            // This run's template is of no use to any later run.
            dropTemplateBehindThePoolsBack(credentials, template);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void refusesALocationWithoutMigrationsNamingWhereItCameFrom() {
        TemplateSpec misspelt = TemplateSpec.builder()
                .flyway(List.of("classpath:db/pooltset"))
                .flywayPlaceholders(Map.of())
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "annotation on [Tests]")
                .build();
        assertThatThrownBy(() -> TestDatabasePool.open(server, misspelt, settings(Map.of())))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("No migration files at 'classpath:db/pooltset' (from annotation on [Tests]). Check the"
                        + " location in 'isolatedpg.flyway.locations' or @IsolatedPostgres(migrations), and that its"
                        + " files are on the test classpath.");
    }

    private static void dropTemplateBehindThePoolsBack(TestDatabase db, String template) throws SQLException {
        try (Connection admin = Admin.of(server).connect();
                Statement statement = admin.createStatement()) {
            statement.execute("ALTER DATABASE " + template + " WITH IS_TEMPLATE false");
            statement.execute("DROP DATABASE " + template);
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static boolean databaseExists(TestDatabase db, String name) throws SQLException {
        return databaseNames(db).contains(name);
    }

    private static List<String> databaseNames(TestDatabase db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection admin = Admin.of(server).connect();
                Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery("SELECT datname FROM pg_database")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
