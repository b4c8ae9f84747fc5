package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.isolatedpg.core.internal.server.Server;
import org.isolatedpg.core.internal.server.embedded.EmbeddedServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@value ConfigKeys#KEEP_FAILED}: a failed test's clone stays on the server as the test left it, reachable with the
 * {@code psql} command and JDBC URL it is listed with, until the next start drops it. What is asserted to exist is
 * asserted while its owner lives (a janitor of any other JVM drops a dead owner's clones); what is asserted gone,
 * after a next start.
 */
@ResourceLock(SharedServers.EMBEDDED_DEFAULT)
@ResourceLock(SharedServers.EXTERNAL)
class KeepFailedTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "external"})
    void keepsAFailedTestsDatabaseAsItWasLeftUntilTheNextStartDropsItAndItsRole(String mode) throws Exception {
        assumeServer(mode);
        Configuration configuration = configuration(mode, Map.of());
        String name;
        String role;
        PostgresServer server = PostgresServer.start(configuration.serverSettings());
        try {
            Server admin = server.attachment().server();
            try (TestDatabasePool pool = TestDatabasePool.open(
                    server, TemplateSpec.of("classpath:db/pooltest"), configuration.poolSettings())) {
                TestDatabase db = pool.lease();
                name = db.name();
                role = db.username();
                insert(db, "left by the test");

                ReleaseReport report = db.releaseAfterFailure("com.acme.OrderTests#placesOrder");

                assertThat(report).isEqualTo(new ReleaseReport(name, List.of()));
                assertThat(db.release()).isSameAs(report);
                assertThat(server.keptDatabases()).singleElement().satisfies(kept -> {
                    assertThat(kept.name()).isEqualTo(name);
                    assertThat(kept.test()).isEqualTo("com.acme.OrderTests#placesOrder");
                    assertThat(kept.jdbcUrl()).isEqualTo(server.jdbcUrl(name));
                    assertThat(List.of(kept.psql(), kept.jdbcUrl(), kept.access(), kept.afterRun()))
                            .noneMatch(text -> text.contains(db.password()))
                            .noneMatch(text -> !admin.password().isEmpty() && text.contains(admin.password()));
                });
                KeptDatabase kept = server.keptDatabases().get(0);
                assertThat(psql(
                                kept.psql(),
                                "SELECT current_user || ': ' || string_agg(name, ',' ORDER BY id) FROM item"))
                        .isEqualTo(admin.user() + ": first,second,left by the test");
                try (Connection connection =
                        DriverManager.getConnection(kept.jdbcUrl(), admin.user(), admin.password())) {
                    assertThat(items(connection)).isEqualTo("first,second,left by the test");
                }
                if (mode.equals("embedded")) {
                    Path passwordFile =
                            ((EmbeddedServer) admin).clusterDirectory().resolve("password");
                    assertThat(kept.access()).isEqualTo("user postgres, password in " + passwordFile);
                    assertThat(kept.psql())
                            .isEqualTo("PGPASSWORD=\"$(cat " + passwordFile + ")\" psql 'host=127.0.0.1 port="
                                    + admin.port() + " user=postgres dbname=" + name + "'");
                    assertThat(Files.readString(passwordFile, StandardCharsets.UTF_8))
                            .isEqualTo(admin.password());
                } else {
                    assertThat(kept.access()).isEqualTo("user postgres, no password configured");
                    assertThat(kept.psql())
                            .isEqualTo("psql 'host=127.0.0.1 port=5432 user=postgres dbname=" + name + "'");
                    assertThat(kept.afterRun()).isEmpty();
                }
            }
            // The pool closed, and left the kept clone alone; under restricted privileges, its role with it.
            assertThat(Admin.of(server).databases()).contains(name);
            if (!role.equals(admin.user())) {
                assertThat(role).isEqualTo(name);
                assertThat(roleExists(server, role)).isTrue();
            }
        } finally {
            server.close();
        }

        PostgresServer.start(configuration.serverSettings()).close(); // the next run: its janitor drops them

        try (PostgresServer after = PostgresServer.start(configuration.serverSettings())) {
            assertThat(Admin.of(after).databases()).doesNotContain(name);
            assertThat(roleExists(after, role)).isFalse();
        }
    }

    @Test
    void keepsTheNewestOverAllPoolsOfTheServerAndDropsTheOldest() throws Exception {
        Configuration configuration =
                configuration("embedded", Map.of(ConfigKeys.KEEP_FAILED, "2", ConfigKeys.POOL_SIZE, "1"));
        List<String> names = new ArrayList<>();
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings());
                TestDatabasePool first = TestDatabasePool.open(
                        server, TemplateSpec.of("classpath:db/pooltest"), configuration.poolSettings());
                TestDatabasePool second = TestDatabasePool.open(
                        server, TemplateSpec.of("classpath:db/keptitems"), configuration.poolSettings())) {
            for (int i = 0; i < 4; i++) {
                TestDatabase db = (i % 2 == 0 ? first : second).lease();
                names.add(db.name());
                insert(db, "test " + i);
                db.releaseAfterFailure("Tests#test" + i);
            }

            assertThat(server.keptDatabases())
                    .extracting(KeptDatabase::name, KeptDatabase::test)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(names.get(3), "Tests#test3"),
                            org.assertj.core.groups.Tuple.tuple(names.get(2), "Tests#test2"));
            Admin admin = Admin.of(server);
            Admin.await(
                    PATIENCE,
                    "the two oldest kept clones to be dropped",
                    () -> !admin.databases().contains(names.get(0))
                            && !admin.databases().contains(names.get(1)));
            try (Connection connection = admin.connectTo(names.get(2))) {
                assertThat(items(connection)).isEqualTo("first,second,test 2");
            }
            try (Connection connection = admin.connectTo(names.get(3))) {
                assertThat(items(connection)).isEqualTo("test 3");
            }
            first.close();
            second.close();
            assertThat(admin.databases()).contains(names.get(2), names.get(3));
        }
    }

    @Test
    void keepsNothingWhenKeepFailedIsZero() throws Exception {
        Configuration configuration = configuration("embedded", Map.of(ConfigKeys.KEEP_FAILED, "0"));
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings());
                TestDatabasePool pool = TestDatabasePool.open(
                        server, TemplateSpec.of("classpath:db/pooltest"), configuration.poolSettings())) {
            TestDatabase db = pool.lease();
            insert(db, "changed");

            db.releaseAfterFailure("Tests#fails");

            assertThat(server.keptDatabases()).isEmpty();
            Admin admin = Admin.of(server);
            Admin.await(
                    PATIENCE,
                    "the failed test's clone to be dropped",
                    () -> !admin.databases().contains(db.name()));
        }
    }

    private static Configuration configuration(String mode, Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        if (mode.equals("external")) {
            all.putAll(RolesOnExternalServerTests.EXTERNAL);
        }
        return Configuration.from(List.of(ConfigSource.of("test", all)));
    }

    private static void assumeServer(String mode) {
        if (mode.equals("external")) {
            Assumptions.assumeTrue(
                    RolesOnExternalServerTests.answers() || "true".equals(System.getenv("CI")),
                    "no PostgreSQL answers on 127.0.0.1:5432 (CI=true makes this a failure)");
        }
    }

    private static void insert(TestDatabase db, String name) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("INSERT INTO item (name) VALUES (?)")) {
            statement.setString(1, name);
            statement.executeUpdate();
        }
    }

    private static String items(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT string_agg(name, ',' ORDER BY id) FROM item")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static boolean roleExists(PostgresServer server, String role) throws SQLException {
        try (Connection connection = Admin.of(server).connect();
                PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            statement.setString(1, role);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * Runs the {@code psql} command as a person would paste it into a shell, with {@code sql} added, and returns what
     * it printed; the environment holds no libpq variable, so only the command itself can connect.
     */
    static String psql(String command, String sql) throws Exception {
        Assumptions.assumeTrue(onPath("psql"), "psql is not installed (no psql on the PATH)");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command + " -XAtc '" + sql.replace("'", "'\\''") + "'")
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("PG"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.strip();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null
                && List.of(path.split(File.pathSeparator)).stream()
                        .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }
}
