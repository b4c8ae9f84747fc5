package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Faults that hit a template or its clones while tests run (rows 8, 17 and 21 of the fault matrix, and faults 1–3 of
 * issue 7): each is injected for real on the server, and afterwards the pool must hand out only clones that exist and
 * are pristine, without any test waiting out its timeout. Every test uses a template of its own (a placeholder no
 * migration reads makes a fingerprint nobody else has), so the faults touch nobody else. Run on the embedded server
 * ({@link TemplateFaultTests}) and on the machine's PostgreSQL ({@link TemplateFaultsOnExternalServerTests}).
 */
abstract class TemplateFaultScenarios {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** The server the scenarios run on. */
    abstract PostgresServer server();

    private static PoolSettings settings(String size) {
        return Configuration.from(List.of(ConfigSource.of(
                        "test", Map.of(ConfigKeys.POOL_SIZE, size, ConfigKeys.POOL_ACQUIRE_TIMEOUT, "30s"))))
                .poolSettings();
    }

    private static TemplateSpec ownSpec(String location) {
        return TemplateSpec.builder()
                .flyway(List.of(location))
                .flywayPlaceholders(Map.of("run", UUID.randomUUID().toString()))
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                .build();
    }

    @Test
    void aTemplateDroppedWhileTestsRunIsBuiltAgainOnTheNextLease() throws Exception {
        PostgresServer server = server();
        try (TestDatabasePool pool = TestDatabasePool.open(server, ownSpec("classpath:db/pooltest"), settings("2"))) {
            Admin admin = Admin.of(server, pool);
            awaitReady(pool, 2);
            admin.dropTemplate(pool.templateName());

            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) { // two ready clones, then clones of the rebuilt template
                try (TestDatabase db = pool.lease()) {
                    assertThat(items(db)).isEqualTo("first,second");
                    write(db); // so that it is not handed to the next lease as it is
                    seen.add(db.name());
                }
            }
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(pool.statistics().templateRebuilds()).isEqualTo(1);
            assertThat(admin.databases()).contains(pool.templateName());
            admin.dropTemplate(pool.templateName());
        }
    }

    @Test
    void anInvalidTemplateLeftByAnInterruptedDropIsBuiltAgain() throws Exception {
        PostgresServer server = server();
        try (TestDatabasePool pool = TestDatabasePool.open(server, ownSpec("classpath:db/pooltest"), settings("1"))) {
            Admin admin = Admin.of(server, pool);
            awaitReady(pool, 1);
            // What an interrupted DROP DATABASE leaves (PostgreSQL's own tests fake it the same way): a template is
            // unsealed before it is dropped, and the drop marks it invalid before removing its files.
            admin.execute("ALTER DATABASE " + pool.templateName() + " WITH IS_TEMPLATE false");
            admin.execute("UPDATE pg_database SET datconnlimit = -2 WHERE datname = '" + pool.templateName() + "'");

            try (TestDatabase ready = pool.lease();
                    TestDatabase rebuilt = pool.lease()) {
                assertThat(items(ready)).isEqualTo("first,second");
                assertThat(items(rebuilt)).isEqualTo("first,second");
            }
            assertThat(pool.statistics().templateRebuilds()).isEqualTo(1);
            assertThat(admin.strings(
                            "SELECT datconnlimit FROM pg_database WHERE datname = '" + pool.templateName() + "'"))
                    .containsExactly("-1");
            admin.dropTemplate(pool.templateName());
        }
    }

    @Test
    void readyClonesDroppedBehindThePoolsBackAreReplacedBeforeAnyTestGetsThem() throws Exception {
        PostgresServer server = server();
        try (TestDatabasePool pool = TestDatabasePool.open(server, ownSpec("classpath:db/pooltest"), settings("3"))) {
            Admin admin = Admin.of(server, pool);
            awaitReady(pool, 3);
            List<String> ready = admin.databasesOf(server.owner()).stream()
                    .filter(name -> name.startsWith("ipg_" + pool.fingerprint().substring(0, 12)))
                    .toList();
            assertThat(ready).hasSize(3);
            for (String name : ready) { // what a janitor that took this JVM for dead used to do
                admin.execute("DROP DATABASE " + name + " WITH (FORCE)");
            }

            for (int i = 0; i < 3; i++) {
                try (TestDatabase db = pool.lease()) {
                    assertThat(ready).doesNotContain(db.name());
                    assertThat(items(db)).isEqualTo("first,second");
                }
            }
            assertThat(pool.statistics().clonesReplaced()).isEqualTo(3);
            admin.dropTemplate(pool.templateName());
        }
    }

    @Test
    void aBuildWhoseSessionIsTerminatedFailsAsTheEnvironmentsFaultAndIsNotRemembered() throws Exception {
        PostgresServer server = server();
        TemplateSpec spec = ownSpec("classpath:db/slowbuild");
        Admin admin;
        try (TestDatabasePool pool =
                        TestDatabasePool.open(server, TemplateSpec.of("classpath:db/pooltest"), settings("1"));
                TestDatabase credentials = pool.lease()) {
            admin = Admin.of(server, credentials);
        }
        CompletableFuture<TestDatabasePool> building =
                CompletableFuture.supplyAsync(() -> TestDatabasePool.open(server, spec, settings("1")));
        // A DBA, a network blip: the session running the migrations ends mid-way (SQLState 57P01).
        Admin.await(PATIENCE, "the build's migration session", () -> admin.terminateConnectedTo("ipg_build_") > 0);

        assertThatThrownBy(() -> building.get(60, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(ServerFailureException.class)
                .hasMessageMatching("(?s).*\\(SQLState (57P01|08003|08006)\\).*")
                .hasMessageEndingWith("A failure of the environment (the connection, the server or its resources), not"
                        + " of the migration: the half-built template was dropped, and the next test tries again.");
        assertThat(admin.databases()).noneMatch(name -> name.startsWith("ipg_build_"));

        try (TestDatabasePool pool = TestDatabasePool.open(server, spec, settings("1"));
                TestDatabase db = pool.lease()) { // tried again, it builds
            assertThat(pool.statistics().migrationsExecuted()).isEqualTo(2);
            try (Connection connection = db.dataSource().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT name FROM gadget")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("first");
            }
            admin.dropTemplate(pool.templateName());
        }
    }

    @Test
    void thePoolKeepsServingWhenItsAdminAndOwnerSessionsAreTerminated() throws Exception {
        PostgresServer server = server();
        try (TestDatabasePool pool = TestDatabasePool.open(server, ownSpec("classpath:db/pooltest"), settings("2"))) {
            Admin admin = Admin.of(server, pool);
            awaitReady(pool, 2);
            assertThat(admin.terminate("isolatedpg-admin-" + server.owner())).isPositive();
            assertThat(admin.terminateOwnerSession(server.owner())).isPositive();

            for (int i = 0; i < 4; i++) {
                try (TestDatabase db = pool.lease()) {
                    assertThat(items(db)).isEqualTo("first,second");
                }
            }
            Admin.await(PATIENCE, "the owner lock taken again", () -> admin.ownerLockHeld(server.owner()));
            admin.dropTemplate(pool.templateName());
        }
    }

    static void awaitReady(TestDatabasePool pool, int ready) throws Exception {
        Admin.await(
                PATIENCE,
                ready + " ready clones and no drop in flight",
                () -> pool.snapshot()
                        .matches("ready=" + ready + ", leased=\\d+, returning=0, creating=0, dropping=0, waiting=0"));
    }

    private static void write(TestDatabase db) throws Exception {
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO item (name) VALUES ('mine')");
        }
    }

    private static String items(TestDatabase db) throws Exception {
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT string_agg(name, ',' ORDER BY id) FROM item")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
