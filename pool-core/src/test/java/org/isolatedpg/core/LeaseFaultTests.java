package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * What a test can do to its lease, and what can happen to a test waiting for one: rows 7 (a transaction left open)
 * and 14 (a thread interrupted while it waits) of the fault matrix.
 */
@ResourceLock(SharedServers.EMBEDDED_DEFAULT)
class LeaseFaultTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start(Configuration.fromSystem().serverSettings());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static TestDatabasePool ownPool(String size) {
        return ownPool(size, "restricted");
    }

    private static TestDatabasePool ownPool(String size, String privileges) {
        PoolSettings settings = Configuration.from(List.of(ConfigSource.of(
                        "test",
                        Map.of(
                                ConfigKeys.POOL_SIZE, size,
                                ConfigKeys.POOL_ACQUIRE_TIMEOUT, "30s",
                                ConfigKeys.DATASOURCE_PRIVILEGES, privileges))))
                .poolSettings();
        TemplateSpec spec = TemplateSpec.builder()
                .flyway(List.of("classpath:db/pooltest"))
                .flywayPlaceholders(Map.of("run", UUID.randomUUID().toString()))
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                .build();
        return TestDatabasePool.open(server, spec, settings);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void transactionsATestLeftOpenEndWithItsLeaseAndTheNextTestSeesTheTemplate() throws Exception {
        try (TestDatabasePool pool = ownPool("2")) {
            Admin admin = Admin.of(server, pool);
            TestDatabase dirty = pool.lease();
            Connection pooled = dirty.dataSource().getConnection();
            pooled.setAutoCommit(false);
            try (Statement statement = pooled.createStatement()) {
                statement.execute("UPDATE item SET name = name || ' (uncommitted)'");
            }
            Connection raw = DriverManager.getConnection(dirty.jdbcUrl(), dirty.username(), dirty.password());
            try (Statement statement = raw.createStatement()) {
                statement.execute("BEGIN");
                statement.execute("INSERT INTO item (name) VALUES ('raw, uncommitted')");
                statement.execute("CREATE TABLE scratch (id int)"); // holds an exclusive lock until the end
            }

            ReleaseReport report = dirty.release();

            assertThat(report.leakedConnections()).hasSize(2);
            Admin.await(
                    PATIENCE,
                    "no session left on " + dirty.name(),
                    () -> admin.strings("SELECT pid FROM pg_stat_activity WHERE datname = '" + dirty.name() + "'")
                            .isEmpty());
            try (TestDatabase next = pool.lease();
                    Connection connection = next.dataSource().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT string_agg(name, ',' ORDER BY id) FROM item")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("first,second");
            }
            assertThat(raw.isValid(1)).isFalse();
            admin.dropTemplate(pool.templateName());
        }
    }

    /** Row 8: a test drops its own database (it owns it); giving the lease back tolerates it, and nothing is left. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aTestThatDropsItsOwnDatabaseIsReleasedCleanly() throws Exception {
        try (TestDatabasePool pool = ownPool("1")) {
            Admin admin = Admin.of(server, pool);
            TestDatabase wrecked = pool.lease();
            try (Connection elsewhere = DriverManager.getConnection(
                            server.jdbcUrl("postgres"), wrecked.username(), wrecked.password());
                    Statement statement = elsewhere.createStatement()) {
                // A forced drop by a role without superuser refuses while an autovacuum worker is in the database
                // (42501); a test that drops its own database would try again, as this one does.
                Admin.await(PATIENCE, "the test's own DROP DATABASE " + wrecked.name(), () -> {
                    try {
                        statement.execute("DROP DATABASE " + wrecked.name() + " WITH (FORCE)");
                        return true;
                    } catch (SQLException refused) {
                        if (!"42501".equals(refused.getSQLState())) {
                            throw refused;
                        }
                        return false;
                    }
                });
            }

            assertThat(wrecked.release().database()).isEqualTo(wrecked.name());
            try (TestDatabase next = pool.lease();
                    Connection connection = next.dataSource().getConnection()) {
                assertThat(connection.isValid(1)).isTrue();
            }
            Admin.await(
                    PATIENCE,
                    "neither database nor role of " + wrecked.name(),
                    () -> admin.databases().stream().noneMatch(wrecked.name()::equals)
                            && admin.strings("SELECT rolname FROM pg_roles WHERE rolname = '" + wrecked.name() + "'")
                                    .isEmpty());
            admin.dropTemplate(pool.templateName());
        }
    }

    /** Row 8: a test connected as the admin renames its own database; the clone is found by its OID and dropped. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aTestDatabaseItsTestRenamedIsDroppedUnderItsNewName() throws Exception {
        try (TestDatabasePool pool = ownPool("1", "admin")) {
            Admin admin = Admin.of(server, pool);
            TestDatabase renamed = pool.lease();
            String newName = "Renamed by " + renamed.name();
            try (Connection elsewhere = DriverManager.getConnection(
                            server.jdbcUrl("postgres"), renamed.username(), renamed.password());
                    Statement statement = elsewhere.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                        + renamed.name() + "'");
                statement.execute("ALTER DATABASE " + renamed.name() + " RENAME TO \"" + newName + "\"");
            }

            renamed.release();

            Admin.await(
                    PATIENCE,
                    "the renamed clone dropped",
                    () -> admin.strings("SELECT datname FROM pg_database WHERE datname = '" + newName + "'")
                            .isEmpty());
            admin.dropTemplate(pool.templateName());
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aThreadInterruptedWhileWaitingForALeaseKeepsItsFlagAndLeaksNothing() throws Exception {
        try (TestDatabasePool pool = ownPool("1");
                TestDatabase held = pool.lease()) {
            Admin admin = Admin.of(server, held);
            TemplateFaultTests.awaitReady(pool, 1);
            try (Connection intruder = admin.intrudeOn(pool.templateName());
                    TestDatabase second = pool.lease()) { // the ready one, made before the intruder came
                // With someone on the template, no clone can be made: the next lease waits.
                AtomicReference<Throwable> failure = new AtomicReference<>();
                AtomicBoolean flagKept = new AtomicBoolean();
                Thread waiter = new Thread(() -> {
                    try {
                        pool.lease().close();
                    } catch (RuntimeException e) {
                        failure.set(e);
                        flagKept.set(Thread.currentThread().isInterrupted());
                    }
                });
                waiter.start();
                Admin.await(PATIENCE, "the lease to wait", () -> pool.snapshot().endsWith("waiting=1"));
                waiter.interrupt();
                waiter.join(TimeUnit.SECONDS.toMillis(10));

                assertThat(waiter.isAlive()).isFalse();
                assertThat(failure.get())
                        .isInstanceOf(IsolatedPostgresException.class)
                        .hasMessageStartingWith("Interrupted while waiting for a test database of template");
                assertThat(flagKept).isTrue();
                assertThat(pool.snapshot()).contains("leased=2,").endsWith("waiting=0");
                assertThat(intruder.isValid(1)).isTrue();
            }
            // The intruder left and the second lease came back: the pool returns to its full capacity.
            TemplateFaultTests.awaitReady(pool, 1);
            assertThat(pool.snapshot()).startsWith("ready=1, leased=1,");
            try (TestDatabase next = pool.lease()) {
                assertThat(next.name()).isNotEqualTo(held.name());
            }
            admin.dropTemplate(pool.templateName());
        }
    }
}
