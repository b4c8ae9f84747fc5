package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Row 14 of the fault matrix, with JUnit's own timeout: a test that overruns {@code @Timeout} on a thread of its own
 * is abandoned by JUnit, not stopped. Its database is released all the same — connections closed, clone dropped — so
 * the abandoned thread meets an error when it comes back to it, never another test's data, and the next test is
 * unaffected.
 */
class TimeoutTests {

    static final AtomicReference<Throwable> ABANDONED = new AtomicReference<>();
    static final CountDownLatch CAME_BACK = new CountDownLatch(1);

    @Test
    void aTestAbandonedAtItsTimeoutLosesItsDatabaseAndTheNextTestIsUnaffected() throws Exception {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(TimingOutTestCase.class);

        results.testEvents()
                .assertStatistics(stats -> stats.started(2).failed(1).succeeded(1));
        List<Throwable> failures =
                IsolatedPostgresTestKit.failures(results.testEvents().failed().list());
        assertThat(failures.get(0))
                .isInstanceOf(java.util.concurrent.TimeoutException.class)
                .hasMessageContaining("timed out after 300 milliseconds");
        assertThat(CAME_BACK.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ABANDONED.get()).isInstanceOf(SQLException.class);
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class TimingOutTestCase {

        @Test
        @Order(1)
        @Timeout(value = 300, unit = TimeUnit.MILLISECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void overrunsItsTimeout(DataSource dataSource) {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO marker (owner) VALUES ('abandoned')");
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < until) { // outlives the timeout, deaf to interrupts, as real code may be
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        // keep going
                    }
                }
                try (Connection again = dataSource.getConnection();
                        ResultSet rows = again.createStatement().executeQuery("SELECT count(*) FROM marker")) {
                    rows.next();
                    ABANDONED.set(new AssertionError("the abandoned test still reached a database"));
                }
            } catch (SQLException e) {
                ABANDONED.set(e);
            } finally {
                CAME_BACK.countDown();
            }
        }

        @Test
        @Order(2)
        void findsADatabaseOfItsOwn(DataSource dataSource) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    ResultSet rows = connection.createStatement().executeQuery("SELECT count(*) FROM marker")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
        }
    }
}
