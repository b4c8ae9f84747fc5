package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class ReleaseTests {

    @Test
    void releasesTheDatabaseOfAFailingTestAndReportsTheConnectionItLeft() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(FailingTestCase.class);

        results.testEvents()
                .assertStatistics(stats -> stats.started(2).failed(1).succeeded(1));
        assertThat(IsolatedPostgresTestKit.failures(
                        results.testEvents().failed().list()))
                .singleElement(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(AssertionError.class)
                .hasMessage("deliberately failing");
        assertThat(results.allEvents().reportingEntryPublished().stream()
                        .map(event ->
                                event.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
                        .filter(entry -> entry.containsKey("isolatedpg.leaked-connections")))
                .singleElement()
                .extracting(entry -> entry.get("isolatedpg.leaked-connections"))
                .isEqualTo("1 connection(s) borrowed from the test's DataSource and never closed");
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class FailingTestCase {

        static DataSource leakedDataSource;
        static Connection leakedConnection;

        @Test
        @Order(1)
        void failsLeavingAConnectionOpen(DataSource dataSource) throws SQLException {
            leakedDataSource = dataSource;
            leakedConnection = dataSource.getConnection();
            throw new AssertionError("deliberately failing");
        }

        @Test
        @Order(2)
        void findsThePreviousTestsDatabaseReleased() throws SQLException {
            assertThat(leakedConnection.isValid(1)).isFalse();
            assertThatThrownBy(leakedDataSource::getConnection)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("was given back when its test ended");
        }
    }
}
