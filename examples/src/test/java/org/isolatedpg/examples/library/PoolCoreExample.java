package org.isolatedpg.examples.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;
import org.junit.jupiter.api.Test;

/** pool-core without the JUnit extension: the README's plain-code example, run. */
class PoolCoreExample {

    @Test
    void leasesAMigratedDatabaseInPlainCode() throws SQLException {
        int books;
        // tag::plain[]
        Configuration config = Configuration.fromSystem(); // system properties, then environment
        try (PostgresServer server = PostgresServer.start(config.serverSettings());
                TestDatabasePool pool = TestDatabasePool.open(server, config.templateSpec(), config.poolSettings());
                TestDatabase db = pool.lease();
                Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM book")) {
            rows.next();
            books = rows.getInt(1);
        }
        // end::plain[]
        assertThat(books).isPositive();
    }
}
