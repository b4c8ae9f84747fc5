package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.isolatedpg.junit.IsolatedPostgresTestKit.databaseName;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.isolatedpg.core.ConfigKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class PerClassIsolationTests {

    static final Map<String, List<String>> SEEN = new ConcurrentHashMap<>();

    @Test
    void sharesOneDatabaseAcrossTheClassIncludingBeforeAll() {
        EngineExecutionResults results =
                IsolatedPostgresTestKit.execute(StaticBeforeAllTestCase.class, InstanceBeforeAllTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(4).succeeded(4));
        assertThat(SEEN.get("static"))
                .hasSize(3)
                .containsOnly(SEEN.get("static").get(0));
        assertThat(SEEN.get("instance"))
                .hasSize(3)
                .containsOnly(SEEN.get("instance").get(0));
        assertThat(SEEN.get("static").get(0)).isNotEqualTo(SEEN.get("instance").get(0));
    }

    @Test
    void takesTheIsolationFromConfigurationAndGivesEachNestedClassItsOwnDatabase() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(
                Map.of(ConfigKeys.ISOLATION, "per_class"), ConfiguredPerClassTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
        assertThat(SEEN.get("configured-outer"))
                .hasSize(2)
                .containsOnly(SEEN.get("configured-outer").get(0));
        assertThat(SEEN.get("configured-inner"))
                .singleElement()
                .isNotEqualTo(SEEN.get("configured-outer").get(0));
    }

    private static void record(String group, DataSource dataSource) throws SQLException {
        SEEN.computeIfAbsent(group, key -> new CopyOnWriteArrayList<>()).add(databaseName(dataSource));
    }

    private static void insertMarker(DataSource dataSource, String owner) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO marker (owner) VALUES ('" + owner + "')");
        }
    }

    private static List<String> markers(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT owner FROM marker ORDER BY id")) {
            List<String> owners = new java.util.ArrayList<>();
            while (rows.next()) {
                owners.add(rows.getString(1));
            }
            return owners;
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library", isolation = Isolation.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class StaticBeforeAllTestCase {

        @BeforeAll
        static void seed(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "before-all");
            record("static", dataSource);
        }

        @Test
        @Order(1)
        void first(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "first");
            record("static", dataSource);
        }

        @Test
        @Order(2)
        void secondSeesWhatEarlierOnesWrote(DataSource dataSource) throws SQLException {
            assertThat(markers(dataSource)).containsExactly("before-all", "first");
            record("static", dataSource);
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library", isolation = Isolation.PER_CLASS)
    @TestInstance(Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class InstanceBeforeAllTestCase {

        private final DataSource fromConstructor;

        InstanceBeforeAllTestCase(DataSource dataSource) {
            this.fromConstructor = dataSource;
        }

        @BeforeAll
        void seed(DataSource dataSource) throws SQLException {
            assertThat(dataSource).isSameAs(fromConstructor);
            insertMarker(dataSource, "before-all");
            record("instance", dataSource);
        }

        @Test
        @Order(1)
        void first(DataSource dataSource) throws SQLException {
            insertMarker(dataSource, "first");
            record("instance", dataSource);
        }

        @Test
        @Order(2)
        void secondSeesWhatEarlierOnesWrote() throws SQLException {
            assertThat(markers(fromConstructor)).containsExactly("before-all", "first");
            record("instance", fromConstructor);
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    static class ConfiguredPerClassTestCase {

        @Test
        void first(DataSource dataSource) throws SQLException {
            record("configured-outer", dataSource);
        }

        @Test
        void second(DataSource dataSource) throws SQLException {
            record("configured-outer", dataSource);
        }

        @Nested
        class InnerTests {

            @Test
            void third(DataSource dataSource) throws SQLException {
                record("configured-inner", dataSource);
            }
        }
    }
}
