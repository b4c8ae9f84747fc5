package org.isolatedpg.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Test;

/** The single test a start-up measurement runs in a fresh JVM. */
@IsolatedPostgres
class StartupTests {

    @Test
    void firstTest(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            System.out.println("FIRST_TEST_READY " + System.currentTimeMillis());
            Work.insertAndSelect(connection, "first");
        }
    }
}
