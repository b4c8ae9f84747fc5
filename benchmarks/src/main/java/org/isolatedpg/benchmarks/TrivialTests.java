package org.isolatedpg.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The 1000 trivial tests, run by the benchmark through the JUnit Platform launcher. Handover is measured from just
 * before JUnit resolves the test's parameters (where the lease happens) to the first connection in hand.
 */
@IsolatedPostgres
@ExtendWith(TrivialTests.Timing.class)
class TrivialTests {

    static final List<Long> HANDOVERS = new CopyOnWriteArrayList<>();
    private static final ThreadLocal<Long> STARTED = new ThreadLocal<>();

    @RepeatedTest(1000)
    void insertsAndSelects(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            HANDOVERS.add(System.nanoTime() - started());
            Work.insertAndSelect(connection, "test");
        }
    }

    static long started() {
        return STARTED.get();
    }

    /** Notes the time right before JUnit resolves the test method's parameters. */
    static final class Timing implements BeforeTestExecutionCallback {
        @Override
        public void beforeTestExecution(ExtensionContext context) {
            STARTED.set(System.nanoTime());
        }
    }
}
