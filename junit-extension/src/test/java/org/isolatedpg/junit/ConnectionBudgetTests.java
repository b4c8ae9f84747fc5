package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.isolatedpg.core.ConfigKeys;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Row 13 of the fault matrix: more parallel tests, each holding several connections, than the server has
 * connections for. Eight tests at a time each hold three connections at once on a server with
 * {@code max_connections = 20}: without a budget they would ask for 24 and more. With it, tests wait their turn
 * (first come, first served, bounded) and all pass; the server never turns a client away ("too many clients", 53300),
 * which its own log would show.
 */
class ConnectionBudgetTests {

    static final AtomicInteger HOLDING = new AtomicInteger();
    static final AtomicInteger MOST_HOLDING = new AtomicInteger();

    @TempDir
    Path dataDirectory;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a deadlock fails here instead of hanging the build
    void eightParallelTestsHoldingThreeConnectionsEachShareTwentyWithoutATooManyClients() throws Exception {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(
                Map.of(
                        "junit.jupiter.execution.parallel.enabled",
                        "true",
                        "junit.jupiter.execution.parallel.mode.default",
                        "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy",
                        "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism",
                        "8",
                        ConfigKeys.EMBEDDED_DATA_DIRECTORY,
                        dataDirectory.toString(),
                        ConfigKeys.EMBEDDED_SETTINGS,
                        "max_connections=20",
                        ConfigKeys.DATASOURCE_MAXIMUM_POOL_SIZE,
                        "3"),
                HoldingTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(24).succeeded(24));
        // 20 less 3 reserved for superusers and 9 for isolated-postgres itself leaves 8: two tests of 3 at a time.
        assertThat(MOST_HOLDING.get()).isBetween(1, 2);
        assertThat(serverLog()).isNotEmpty().noneMatch(line -> line.contains("too many clients"));
    }

    private List<String> serverLog() throws Exception {
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            List<Path> logs = files.filter(file -> file.getFileName().toString().equals("postgres.log"))
                    .toList();
            assertThat(logs).hasSize(1);
            return Files.readAllLines(logs.get(0));
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    static class HoldingTestCase {

        @RepeatedTest(24)
        void holdsThreeConnectionsAtOnce(DataSource dataSource) throws Exception {
            try (Connection first = dataSource.getConnection();
                    Connection second = dataSource.getConnection();
                    Connection third = dataSource.getConnection()) {
                int holding = HOLDING.incrementAndGet();
                MOST_HOLDING.accumulateAndGet(holding, Math::max);
                try {
                    for (Connection connection : List.of(first, second, third)) {
                        assertThat(one(connection)).isEqualTo(1);
                    }
                    Thread.sleep(100); // the test's own work, while it holds all three
                } finally {
                    HOLDING.decrementAndGet();
                }
            }
        }

        private static int one(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT 1")) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
