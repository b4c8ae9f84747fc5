package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.isolatedpg.junit.IsolatedPostgresTestKit.databaseName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class ParallelTests {

    static final Queue<String> DATABASES = new ConcurrentLinkedQueue<>();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a deadlock fails here instead of hanging the build
    void twoHundredConcurrentTestsEachSeeOnlyTheirOwnDatabase() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(
                Map.of(
                        "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.default", "concurrent",
                        "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"),
                FirstTestCase.class,
                SecondTestCase.class,
                ThirdTestCase.class,
                FourthTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(200).succeeded(200));
        assertThat(DATABASES).hasSize(200).doesNotHaveDuplicates();
    }

    static void insertsAndSeesOnlyItsOwnMarker(DataSource dataSource, TestInfo test) throws SQLException {
        String marker = test.getTestClass().orElseThrow().getSimpleName() + " " + test.getDisplayName();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO marker (owner) VALUES (?)")) {
                insert.setString(1, marker);
                insert.executeUpdate();
            }
            List<String> owners = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT owner FROM marker");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    owners.add(rows.getString(1));
                }
            }
            assertThat(owners).containsExactly(marker);
            DATABASES.add(databaseName(connection));
        }
    }

    /** Four classes, so that classes run concurrently as well as their methods. */
    @IsolatedPostgres(migrations = "classpath:db/library")
    abstract static class MarkerTestCase {

        @RepeatedTest(50)
        void insertsAMarker(DataSource dataSource, TestInfo test) throws SQLException {
            insertsAndSeesOnlyItsOwnMarker(dataSource, test);
        }
    }

    static class FirstTestCase extends MarkerTestCase {}

    static class SecondTestCase extends MarkerTestCase {}

    static class ThirdTestCase extends MarkerTestCase {}

    static class FourthTestCase extends MarkerTestCase {}
}
