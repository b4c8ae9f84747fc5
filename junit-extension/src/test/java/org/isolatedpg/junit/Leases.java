package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;

/** The end-to-end check every server mode passes: a leased clone holds the migrated seed data. */
final class Leases {

    private Leases() {}

    /** Leases a clone of {@code db/library} on the configured server, checks its seed data, and describes the server. */
    static String leaseAClone(Configuration configuration) throws SQLException {
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings());
                TestDatabasePool pool = TestDatabasePool.open(
                        server, TemplateSpec.of("classpath:db/library"), configuration.poolSettings());
                TestDatabase db = pool.lease();
                Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM book")) {
            rows.next();
            assertThat(rows.getInt(1)).as("seeded books").isEqualTo(1);
            return server.description();
        }
    }
}
