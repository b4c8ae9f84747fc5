package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * {@code isolatedpg.keep-failed}: a failed test's database stays on the server as the test left it, a warning and the
 * end-of-run report say how to reach it (never with the password), and the next run drops it.
 *
 * <p>The fixtures run on an embedded cluster of this class's own, which it keeps attached so that its server runs
 * between them: once a run ends, its kept databases are a dead JVM's, which the janitor of any run attaching next drops
 * — on a shared server, another build's. For the same reason the tests run one at a time: each fixture run's janitor
 * drops what the runs before it kept. Where a log is read, the fixture runs in a JVM of its own.
 */
@Execution(ExecutionMode.SAME_THREAD)
class KeepFailedTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String FIXTURE = KeepFailedTests.class.getName();

    @TempDir
    static Path dataDirectory;

    private static PostgresServer attached;

    @BeforeAll
    static void attach() {
        attached = PostgresServer.start(configuration(dataDirectory, Map.of()).serverSettings());
    }

    @AfterAll
    static void detach() {
        attached.close();
    }

    @Test
    void keepsAFailedTestsDatabaseAsItWasLeftAndSaysHowToReachItWithoutThePasswordUntilTheNextRunDropsIt()
            throws Exception {
        String output = runInOwnJvm(FailingPassingAndAbortedTestCase.class, dataDirectory, Map.of());

        Map<String, String> databases = databasesIn(output);
        String kept = databases.get("fails");
        assertThat(databasesOn(dataDirectory)).contains(kept);
        Await.until(
                PATIENCE,
                "the databases of the passed and the aborted test to be dropped",
                () -> !databasesOn(dataDirectory).contains(databases.get("passes"))
                        && !databasesOn(dataDirectory).contains(databases.get("aborts")));
        try (Connection connection = admin(dataDirectory, kept)) {
            assertThat(markers(connection)).containsExactly("left by fails");
        }

        List<String> warning = warning(output, FIXTURE + "$FailingPassingAndAbortedTestCase#fails");
        assertThat(warning.get(0))
                .matches(
                        "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[main\\] WARN org\\.isolatedpg\\.core\\.internal\\.pool\\.KeptClones"
                                + " - isolatedpg \\[[0-9a-f]{12}\\] - "
                                + Pattern.quote(
                                        FIXTURE + "$FailingPassingAndAbortedTestCase#fails failed: its database "
                                                + kept
                                                + " is kept as the test left it, until the next run drops it (the newest 5 are"
                                                + " kept: 'isolatedpg.keep-failed' = 5 (from default)). Connect as postgres:"));
        String psql = warning.get(1).strip();
        assertThat(psql).startsWith("PGPASSWORD=\"$(cat ").contains(" psql 'host=127.0.0.1 port=");
        assertThat(psql(psql, "SELECT current_user || ': ' || string_agg(owner, ',') FROM marker"))
                .isEqualTo("postgres: left by fails");
        Matcher jdbc = Pattern.compile(
                        "(jdbc:postgresql://127\\.0\\.0\\.1:\\d+/" + kept + ") \\(user postgres, password in (.+)\\)")
                .matcher(warning.get(2).strip());
        assertThat(jdbc.matches()).as(warning.get(2)).isTrue();
        assertThat(Path.of(jdbc.group(2)))
                .isEqualTo(clusterDirectory(dataDirectory).resolve("password"));
        try (Connection connection =
                DriverManager.getConnection(jdbc.group(1), "postgres", Files.readString(Path.of(jdbc.group(2))))) {
            assertThat(markers(connection)).containsExactly("left by fails");
        }
        assertThat(warning.get(3))
                .startsWith("  The embedded server stops when the last JVM using it ends ('isolatedpg.embedded"
                        + ".keep-running' is false); the database stays in "
                        + clusterDirectory(dataDirectory).resolve("data") + " until the next run.");
        assertThat(output)
                .contains("databases of failed tests, kept until the next run drops them:\n    " + FIXTURE
                        + "$FailingPassingAndAbortedTestCase#fails: " + psql + "\n    (user postgres, password in "
                        + jdbc.group(2) + ")")
                .doesNotContain(password(dataDirectory));

        PostgresServer.start(configuration(dataDirectory, Map.of()).serverSettings())
                .close(); // the next run: its janitor drops the kept database

        assertThat(databasesOn(dataDirectory)).doesNotContain(kept);
    }

    @Test
    void keepsTheClassesDatabaseWithPerClassIsolationWhenOneOfItsTestsOrItsBeforeAllFailed() throws Exception {
        EngineExecutionResults results =
                run(Map.of(), PerClassTestCase.class, PassingPerClassTestCase.class, FailingBeforeAllTestCase.class);

        results.testEvents()
                .assertStatistics(stats -> stats.started(4).failed(1).succeeded(3));
        assertThat(databasesOn(dataDirectory)).contains(FailingBeforeAllTestCase.database);
        try (Connection connection = admin(dataDirectory, FailingBeforeAllTestCase.database)) {
            assertThat(markers(connection)).containsExactly("seeded");
        }
        Map<String, String> databases = databases(results);
        String kept = databases.get("second");
        assertThat(databases.get("first")).isEqualTo(kept);
        assertThat(databases.get("third")).isEqualTo(kept);
        assertThat(databasesOn(dataDirectory)).contains(kept);
        try (Connection connection = admin(dataDirectory, kept)) {
            assertThat(markers(connection)).containsExactly("first", "second", "third");
        }
        Await.until(
                PATIENCE,
                "the passing class's database to be dropped",
                () -> !databasesOn(dataDirectory).contains(databases.get("passes")));
    }

    @Test
    void keepsTheNewestAsManyAsKeepFailedSaysAndDropsTheOlderOnes() throws Exception {
        EngineExecutionResults results = run(Map.of(ConfigKeys.KEEP_FAILED, "2"), FourFailuresTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(4).failed(4));
        Map<String, String> databases = databases(results);
        assertThat(databasesOn(dataDirectory)).contains(databases.get("third"), databases.get("fourth"));
        try (Connection connection = admin(dataDirectory, databases.get("third"))) {
            assertThat(markers(connection)).containsExactly("third");
        }
        try (Connection connection = admin(dataDirectory, databases.get("fourth"))) {
            assertThat(markers(connection)).containsExactly("fourth");
        }
        Await.until(
                PATIENCE,
                "the two oldest kept databases to be dropped",
                () -> !databasesOn(dataDirectory).contains(databases.get("first"))
                        && !databasesOn(dataDirectory).contains(databases.get("second")));
    }

    @Test
    void keepsNoneWhenKeepFailedIsZero() throws Exception {
        EngineExecutionResults results =
                run(Map.of(ConfigKeys.KEEP_FAILED, "0"), FailingPassingAndAbortedTestCase.class);

        results.testEvents()
                .assertStatistics(stats -> stats.started(3).failed(1).aborted(1));
        Map<String, String> databases = databases(results);
        assertThat(databases).hasSize(3);
        Await.until(
                PATIENCE,
                "every test's database to be dropped",
                () -> databasesOn(dataDirectory).stream().noneMatch(databases::containsValue));
    }

    @Test
    void afterTheLastJvmLeftTheCommandsOfTheWarningStartTheServerAgainAndReachTheKeptDatabase(@TempDir Path own)
            throws Exception {
        String output = runInOwnJvm(FailingPassingAndAbortedTestCase.class, own, Map.of());
        String kept = databasesIn(output).get("fails");
        List<String> warning = warning(output, FIXTURE + "$FailingPassingAndAbortedTestCase#fails");
        assertThat(clusterDirectory(own).resolve("server.properties")).doesNotExist(); // it stopped with the run

        Matcher start = Pattern.compile("To look at it then, start the server again on the same port: (.+) \\(the next"
                        + " run stops it and starts its own\\), or set 'isolatedpg\\.embedded\\.keep-running' to"
                        + " true\\.")
                .matcher(warning.get(3));
        assertThat(start.find()).as(warning.get(3)).isTrue();
        try {
            shell(start.group(1));
            assertThat(psql(warning.get(1).strip(), "SELECT string_agg(owner, ',') FROM marker"))
                    .isEqualTo("left by fails");
        } finally {
            // The next run: it stops the server started by hand and starts its own, whose janitor drops the kept
            // database; the last JVM out, it stops the server again.
            PostgresServer.start(configuration(own, Map.of()).serverSettings()).close();
        }
        PostgresServer after = PostgresServer.start(configuration(own, Map.of()).serverSettings());
        try {
            assertThat(databasesOn(own)).doesNotContain(kept);
        } finally {
            after.close();
        }
    }

    private static EngineExecutionResults run(Map<String, String> values, Class<?>... fixtures) {
        var request = EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(false)
                .configurationParameters(values(dataDirectory, values));
        for (Class<?> fixture : fixtures) {
            request.selectors(selectClass(fixture));
        }
        return request.execute();
    }

    /** Runs the fixture in a JVM of its own, on the cluster in {@code data}; what it printed and logged. */
    private static String runInOwnJvm(Class<?> fixture, Path data, Map<String, String> values) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KeepFailedChildMain.class.getName(),
                fixture.getName()));
        values(data, values).forEach((key, value) -> command.add(key + "=" + value));
        Path log = Files.createTempFile("isolatedpg-keep-failed", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(PATIENCE.toSeconds() * 3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(
                        "The run did not end within " + PATIENCE.multipliedBy(3) + ":\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            assertThat(process.exitValue()).as(output).isZero();
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Map<String, String> values(Path data, Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put(ConfigKeys.EMBEDDED_DATA_DIRECTORY, data.toString());
        all.put(ConfigKeys.POOL_SIZE, "2");
        return all;
    }

    private static Configuration configuration(Path data, Map<String, String> values) {
        return Configuration.from(List.of(ConfigSource.of("test", values(data, values))));
    }

    /** Each test method's database, from the report entries the extension published. */
    static Map<String, String> databases(EngineExecutionResults results) {
        Map<String, String> databases = new LinkedHashMap<>();
        for (Event event : results.allEvents().reportingEntryPublished().list()) {
            String database = event.getRequiredPayload(ReportEntry.class)
                    .getKeyValuePairs()
                    .get("isolatedpg.database");
            if (database != null && event.getTestDescriptor().getSource().orElse(null) instanceof MethodSource method) {
                databases.put(method.getMethodName(), database);
            }
        }
        return databases;
    }

    /** The databases {@link KeepFailedChildMain} printed. */
    private static Map<String, String> databasesIn(String output) {
        Map<String, String> databases = new LinkedHashMap<>();
        output.lines().filter(line -> line.startsWith("DATABASE ")).forEach(line -> {
            String[] words = line.split(" ");
            databases.put(words[1], words[2]);
        });
        return databases;
    }

    /** The lines of the warning that names {@code test}'s kept database: its first line, and those indented under it. */
    private static List<String> warning(String output, String test) {
        List<String> lines = output.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" WARN ") && lines.get(i).contains(" - " + test + " failed: ")) {
                List<String> warning = new ArrayList<>(List.of(lines.get(i)));
                for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("  "); j++) {
                    warning.add(lines.get(j));
                }
                assertThat(warning).as(output).hasSize(4);
                return warning;
            }
        }
        throw new AssertionError("No warning names " + test + ":\n" + output);
    }

    private static Path clusterDirectory(Path data) throws IOException {
        try (Stream<Path> users = Files.list(data)) {
            Path user = users.findFirst().orElseThrow();
            try (Stream<Path> clusters = Files.list(user)) {
                return clusters.filter(Files::isDirectory).findFirst().orElseThrow();
            }
        }
    }

    private static String password(Path data) throws IOException {
        return Files.readString(clusterDirectory(data).resolve("password"), StandardCharsets.UTF_8);
    }

    /** A connection to {@code database} as the admin of the running server of the cluster in {@code data}. */
    private static Connection admin(Path data, String database) throws SQLException, IOException {
        java.util.Properties server = new java.util.Properties();
        try (var in = Files.newInputStream(clusterDirectory(data).resolve("server.properties"))) {
            server.load(in);
        }
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + server.getProperty("port") + "/" + database,
                "postgres",
                password(data));
    }

    private static List<String> databasesOn(Path data) throws SQLException, IOException {
        List<String> names = new ArrayList<>();
        try (Connection connection = admin(data, "postgres");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT datname FROM pg_database")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static List<String> markers(Connection connection) throws SQLException {
        List<String> owners = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT owner FROM marker ORDER BY id")) {
            while (rows.next()) {
                owners.add(rows.getString(1));
            }
        }
        return owners;
    }

    private static void insertMarker(DataSource dataSource, String owner) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO marker (owner) VALUES ('" + owner + "')");
        }
    }

    /**
     * Runs the {@code psql} command of a warning as a person would paste it into a shell, with {@code sql} added; the
     * environment holds no libpq variable, so only the command itself can connect.
     */
    private static String psql(String command, String sql) throws Exception {
        Assumptions.assumeTrue(onPath("psql"), "psql is not installed (no psql on the PATH)");
        return shell(command + " -XAtc '" + sql.replace("'", "'\\''") + "'");
    }

    private static String shell(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("PG"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(command + "\n" + output).isZero();
        return output.strip();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null
                && Stream.of(path.split(File.pathSeparator))
                        .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class FailingPassingAndAbortedTestCase {

        @Test
        @Order(1)
        void passes(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "passes");
        }

        @Test
        @Order(2)
        void fails(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "left by fails");
            throw new AssertionError("deliberately failing");
        }

        @Test
        @Order(3)
        void aborts(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "aborts");
            Assumptions.abort("deliberately aborted");
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class FourFailuresTestCase {

        @Test
        @Order(1)
        void first(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "first");
            throw new AssertionError("deliberately failing");
        }

        @Test
        @Order(2)
        void second(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "second");
            throw new AssertionError("deliberately failing");
        }

        @Test
        @Order(3)
        void third(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "third");
            throw new AssertionError("deliberately failing");
        }

        @Test
        @Order(4)
        void fourth(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "fourth");
            throw new AssertionError("deliberately failing");
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library", isolation = Isolation.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClassTestCase {

        @Test
        @Order(1)
        void first(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "first");
        }

        @Test
        @Order(2)
        void second(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "second");
            throw new AssertionError("deliberately failing");
        }

        @Test
        @Order(3)
        void third(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "third");
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library", isolation = Isolation.PER_CLASS)
    static class FailingBeforeAllTestCase {

        static volatile String database;

        @BeforeAll
        static void seedsAndFails(TestDatabase db) throws SQLException {
            database = db.name();
            insertMarker(db.dataSource(), "seeded");
            throw new IllegalStateException("deliberately failing");
        }

        @Test
        void neverRuns() {}
    }

    @IsolatedPostgres(migrations = "classpath:db/library", isolation = Isolation.PER_CLASS)
    static class PassingPerClassTestCase {

        @Test
        void passes(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "passes");
        }
    }
}
