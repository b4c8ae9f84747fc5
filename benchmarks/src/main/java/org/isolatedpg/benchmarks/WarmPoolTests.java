package org.isolatedpg.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests that take as long as a realistic one (50 ms of work), so that clones are made faster than tests use them and
 * the pool stays warm: the handover a test sees when nothing is waiting on the server.
 */
@IsolatedPostgres
@ExtendWith(TrivialTests.Timing.class)
class WarmPoolTests {

    @RepeatedTest(200)
    void worksForFiftyMilliseconds(DataSource dataSource) throws SQLException, InterruptedException {
        try (Connection connection = dataSource.getConnection()) {
            TrivialTests.HANDOVERS.add(System.nanoTime() - TrivialTests.started());
            Work.insertAndSelect(connection, "test");
        }
        Thread.sleep(50); // the test's own work, simulated
    }
}
