package org.isolatedpg.spring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code isolatedpg.keep-failed} behind an application context: a failed test's database is kept with what the test
 * wrote through the context's beans; a passing test's is dropped. The fixture runs on an embedded cluster of this
 * class's own, which it keeps attached: once the fixture's run ended, its kept database is a dead JVM's, which the
 * janitor of any run attaching to a shared server would drop.
 */
class KeepFailedTests {

    static final Map<String, String> DATABASES = new ConcurrentHashMap<>();

    @TempDir
    static Path dataDirectory;

    private static PostgresServer attached;

    @BeforeAll
    static void attach() {
        attached = PostgresServer.start(Configuration.from(List.of(
                        ConfigSource.of("test", Map.of(ConfigKeys.EMBEDDED_DATA_DIRECTORY, dataDirectory.toString()))))
                .serverSettings());
    }

    @AfterAll
    static void detach() {
        attached.close();
    }

    @Test
    void keepsTheDatabaseOfAFailedTestWithWhatItWroteThroughTheContext() throws Exception {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(false)
                .configurationParameters(Map.of(ConfigKeys.EMBEDDED_DATA_DIRECTORY, dataDirectory.toString()))
                .selectors(selectClass(PassingAndFailingTestCase.class))
                .execute();

        results.testEvents()
                .assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        String kept = DATABASES.get("fails");
        try (Connection connection = admin(kept);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select text from note")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("written by fails");
            assertThat(rows.next()).isFalse();
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (databases().contains(DATABASES.get("passes"))) { // dropped in the background
            assertThat(System.nanoTime())
                    .as("the passing test's database is dropped")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(databases()).contains(kept);
    }

    private static Connection admin(String database) throws SQLException, IOException {
        return DriverManager.getConnection(attached.jdbcUrl(database), "postgres", password());
    }

    private static String password() throws IOException {
        try (Stream<Path> users = Files.list(dataDirectory)) {
            Path user = users.findFirst().orElseThrow();
            try (Stream<Path> clusters = Files.list(user)) {
                return Files.readString(clusters.filter(Files::isDirectory)
                        .findFirst()
                        .orElseThrow()
                        .resolve("password"));
            }
        }
    }

    private static List<String> databases() throws SQLException, IOException {
        List<String> names = new ArrayList<>();
        try (Connection connection = admin("postgres");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select datname from pg_database")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    @SpringBootTest(properties = "isolatedpg.test.context=keep-failed")
    @IsolatedPostgres
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PassingAndFailingTestCase {

        @Autowired
        NoteService service;

        @Autowired
        JdbcTemplate jdbc;

        @Test
        @Order(1)
        void passes() {
            DATABASES.put("passes", jdbc.queryForObject("select current_database()", String.class));
            service.write("written by passes");
        }

        @Test
        @Order(2)
        void fails() {
            DATABASES.put("fails", jdbc.queryForObject("select current_database()", String.class));
            service.write("written by fails");
            throw new AssertionError("deliberately failing");
        }
    }
}
