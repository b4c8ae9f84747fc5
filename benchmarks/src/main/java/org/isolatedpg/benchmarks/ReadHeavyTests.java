package org.isolatedpg.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1000 tests on the small schema of which four in five only read (the seed rows, a join, and that no other test's
 * row is there) and one in five writes, as in a suite of mostly query and service tests.
 */
@IsolatedPostgres
@ExtendWith(TrivialTests.Timing.class)
class ReadHeavyTests {

    static final int TESTS = 1000;

    @RepeatedTest(TESTS)
    void readsOrWrites(DataSource dataSource, RepetitionInfo repetition) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            TrivialTests.HANDOVERS.add(System.nanoTime() - TrivialTests.started());
            if (repetition.getCurrentRepetition() % 5 == 0) {
                Work.insertAndSelect(connection, "test");
            } else {
                expect(connection, 0, "SELECT count(*) FROM marker");
                expect(connection, 10, "SELECT count(*) FROM (SELECT name, amount FROM t1 ORDER BY id LIMIT 10) page");
                expect(connection, 20, "SELECT count(*) FROM t2 JOIN t1 USING (amount)");
            }
        }
    }

    private static void expect(Connection connection, long rows, String query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query);
                ResultSet row = statement.executeQuery()) {
            row.next();
            if (row.getLong(1) != rows) {
                throw new IllegalStateException("Expected " + rows + " from " + query + " but got " + row.getLong(1));
            }
        }
    }
}
