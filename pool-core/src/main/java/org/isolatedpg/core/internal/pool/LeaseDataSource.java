package org.isolatedpg.core.internal.pool;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.isolatedpg.core.internal.sql.ConnectionSource;

/**
 * The {@code DataSource} one test gets: its clone's connection pool until the test gives the clone back, and nothing
 * after. A clone its test left untouched goes on to the next test with the same pool, so a test that kept its
 * {@code DataSource} (in a static field, say) must not reach the next test's database through it.
 */
final class LeaseDataSource extends ConnectionSource {

    private final DataSource pool;
    private final String database;
    private volatile boolean released;

    LeaseDataSource(DataSource pool, String database) {
        this.pool = pool;
        this.database = database;
    }

    void release() {
        released = true;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (released) {
            throw new SQLException("The test database " + database + " was given back when its test ended; a"
                    + " DataSource kept past its test cannot be used. Take the DataSource of the test that runs.");
        }
        return pool.getConnection();
    }

    @Override
    public String toString() {
        return "DataSource[" + database + "]";
    }
}
