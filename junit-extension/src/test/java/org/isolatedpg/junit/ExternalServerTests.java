package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * pool-core on an existing server: the machine's PostgreSQL 15 on 127.0.0.1:5432. Run alone: some tests end other
 * owners' sessions on purpose, which concurrent tests' janitors would rightly act on.
 */
@Isolated
class ExternalServerTests {

    /** Templates of fingerprints unique to this run, dropped after each test. */
    private final List<String> ownTemplates = new ArrayList<>();

    @BeforeEach
    void needsTheLocalServer() {
        LocalPostgres.assumeAvailable();
    }

    @org.junit.jupiter.api.AfterEach
    void dropOwnTemplates() throws SQLException {
        LocalPostgres.dropOwnTemplates(ownTemplates);
    }

    private static Configuration configuration(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(LocalPostgres.configuration());
        values.putAll(extra);
        return Configuration.from(List.of(ConfigSource.of("test", values)));
    }

    /** A spec no earlier run has built: a placeholder no migration uses changes the fingerprint. */
    private static TemplateSpec freshSpec(String location) {
        return TemplateSpec.builder()
                .flyway(List.of(location))
                .flywayPlaceholders(Map.of("run", UUID.randomUUID().toString()))
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                .build();
    }

    @Test
    void leasesMigratedClonesOfAnExistingServer() throws SQLException {
        assertThat(Leases.leaseAClone(configuration(Map.of())))
                .matches("external PostgreSQL 1\\d\\.\\d+.* on 127\\.0\\.0\\.1:5432");
    }

    @Test
    void worksWithARoleThatMayCreateDatabasesButIsNoSuperuser() throws SQLException {
        createRole("isolatedpg_creator", "CREATEDB");
        Configuration configuration = configuration(Map.of(ConfigKeys.SERVER_USER, "isolatedpg_creator"));
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings());
                TestDatabasePool pool =
                        TestDatabasePool.open(server, freshSpec("classpath:db/library"), configuration.poolSettings());
                TestDatabase db = pool.lease();
                Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO marker (owner) VALUES ('creator')");
            ownTemplates.add(pool.templateName());
            assertThat(db.username()).isEqualTo("isolatedpg_creator");
        }
    }

    @Test
    void refusesARoleThatMayNotCreateDatabasesSayingHowToFixIt() throws SQLException {
        createRole("isolatedpg_plain", "NOCREATEDB");
        Configuration configuration = configuration(Map.of(ConfigKeys.SERVER_USER, "isolatedpg_plain"));

        assertThatThrownBy(() -> PostgresServer.start(configuration.serverSettings()))
                .isInstanceOf(IsolatedPostgresException.class)
                .hasMessageMatching(
                        "The role 'isolatedpg_plain' on external PostgreSQL 15\\.\\d+.* on 127\\.0\\.0\\.1:5432"
                                + " may not create databases: it has neither SUPERUSER nor CREATEDB\\. Grant it with ALTER ROLE"
                                + " isolatedpg_plain CREATEDB, or set 'isolatedpg\\.server\\.user' to a role that may\\.");
    }

    @Test
    void saysWhatAnExternalServerNeedsWhenNoUrlIsGiven() {
        Configuration configuration =
                Configuration.from(List.of(ConfigSource.of("test", Map.of(ConfigKeys.SERVER_MODE, "external"))));

        assertThatThrownBy(() -> PostgresServer.start(configuration.serverSettings()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("The external server needs 'isolatedpg.server.url' (jdbc:postgresql://host:5432/postgres)"
                        + " or the PGHOST environment variable, and neither is set. Set one, or use"
                        + " 'isolatedpg.server.mode' = embedded.");
    }

    @Test
    void twoJvmsAskingTogetherBuildTheTemplateOnce() throws Exception {
        Configuration configuration = configuration(Map.of());
        TemplateSpec spec = freshSpec("classpath:db/library");
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<PostgresServer> servers = new ArrayList<>();
        try {
            // Two attachments, each with its own sessions and locks, stand for two JVMs.
            servers.add(PostgresServer.start(configuration.serverSettings()));
            servers.add(PostgresServer.start(configuration.serverSettings()));
            List<Future<TestDatabasePool>> pools = new ArrayList<>();
            for (PostgresServer server : servers) {
                pools.add(threads.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    return TestDatabasePool.open(server, spec, configuration.poolSettings());
                }));
            }
            try (TestDatabasePool one = pools.get(0).get(60, TimeUnit.SECONDS);
                    TestDatabasePool two = pools.get(1).get(60, TimeUnit.SECONDS);
                    TestDatabase a = one.lease();
                    TestDatabase b = two.lease()) {
                assertThat(one.statistics().migrationsExecuted()
                                + two.statistics().migrationsExecuted())
                        .as("migrations run in all")
                        .isEqualTo(2);
                assertThat(List.of(
                                one.statistics().templateReused(),
                                two.statistics().templateReused()))
                        .containsExactlyInAnyOrder(false, true);
                assertThat(a.name()).isNotEqualTo(b.name());
                ownTemplates.add(one.templateName());
            }
        } finally {
            servers.forEach(PostgresServer::close);
            threads.shutdownNow();
        }
    }

    @Test
    void aChangedMigrationGetsANewTemplateAndTheOldOneIsCollectedOnceUnused(@TempDir Path migrations) throws Exception {
        Configuration configuration = configuration(Map.of(ConfigKeys.TEMPLATE_RETENTION, "1d"));
        Path v1 = migrations.resolve("V1__create_table.sql");
        Files.writeString(v1, "CREATE TABLE edited (id int);\n");
        TemplateSpec spec = freshSpec("filesystem:" + migrations);
        String oldTemplate;
        String newTemplate;
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings())) {
            try (TestDatabasePool before = TestDatabasePool.open(server, spec, configuration.poolSettings())) {
                oldTemplate = before.templateName();
            }
            Files.writeString(v1, "CREATE TABLE edited (id int, name text);\n");
            try (TestDatabasePool after = TestDatabasePool.open(server, spec, configuration.poolSettings())) {
                newTemplate = after.templateName();
                assertThat(newTemplate).isNotEqualTo(oldTemplate);
                assertThat(after.statistics().migrationsExecuted()).isEqualTo(1);
                assertThat(databases()).contains(oldTemplate, newTemplate);

                // Both last used long ago; only the one no pool uses may go.
                makeOld(oldTemplate);
                makeOld(newTemplate);
                PostgresServer.start(configuration.serverSettings()).close(); // a next start runs the collector

                assertThat(databases()).doesNotContain(oldTemplate).contains(newTemplate);
                ownTemplates.add(newTemplate);
            }
        }
    }

    @Test
    void jvmsNamingDifferentMaintenanceDatabasesStillSeeEachOtherAlive() throws SQLException {
        Configuration viaPostgres = configuration(Map.of());
        Configuration viaTest = configuration(Map.of(ConfigKeys.SERVER_URL, "jdbc:postgresql://127.0.0.1:5432/test"));
        try (PostgresServer first = PostgresServer.start(viaPostgres.serverSettings());
                TestDatabasePool pool = TestDatabasePool.open(
                        first, TemplateSpec.of("classpath:db/library"), viaPostgres.poolSettings());
                TestDatabase db = pool.lease()) {
            PostgresServer.start(viaTest.serverSettings()).close(); // its janitor must not take first's databases

            assertThat(databases()).contains(db.name());
        }
    }

    @Test
    void anOwnerWhoseSessionEndedTakesItsLockAgainBeforeMakingDatabases() throws Exception {
        Configuration configuration = configuration(Map.of(ConfigKeys.POOL_SIZE, "1"));
        try (PostgresServer first = PostgresServer.start(configuration.serverSettings());
                TestDatabasePool pool = TestDatabasePool.open(
                        first, TemplateSpec.of("classpath:db/library"), configuration.poolSettings())) {
            try (Connection connection = LocalPostgres.connect();
                    Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND objsubid = 2 AND classid::bigint = "
                        + ServerLocks.OWNERS
                        + " AND objid::bigint = " + Long.parseLong(first.owner(), 16));
            }
            try (TestDatabase leased = pool.lease(); // the pool makes a replacement, taking the lock again first
                    TestDatabase next = pool.lease()) {
                PostgresServer.start(configuration.serverSettings()).close();

                assertThat(databases()).contains(leased.name(), next.name());
            }
        }
    }

    private static void makeOld(String template) throws SQLException {
        try (Connection connection = LocalPostgres.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("COMMENT ON DATABASE " + template
                    + " IS 'isolated-postgres template, last used 2000-01-01T00:00:00Z'");
        }
    }

    static List<String> databases() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = LocalPostgres.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT datname FROM pg_database")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static void createRole(String role, String rights) throws SQLException {
        try (Connection connection = LocalPostgres.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN"
                    + " CREATE ROLE " + role + " LOGIN; END IF; END $$");
            statement.execute("ALTER ROLE " + role + " " + rights);
        }
    }
}
