package org.isolatedpg.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Row 16 of the fault matrix: someone (an IDE, psql, a stale Flyway pool) tries to connect to a template. The sealed
 * template refuses with 55000 — superusers too — so nobody can hold it open, and cloning goes on unaffected.
 */
@ResourceLock(TargetServer.EXTERNAL_LOCK)
class TemplateConnectionTests {

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "external"})
    void aConnectionToATemplateIsRefusedAndCloningGoesOn(String mode) throws Exception {
        TargetServer server = TargetServer.of(mode, dataDirectory);
        Inventory baseline = Inventory.of(server);
        String owner;
        try (PostgresServer started = server.start();
                TestDatabasePool pool = TestDatabasePool.open(
                        started,
                        TemplateSpec.of("classpath:db/library"),
                        server.configuration().poolSettings())) {
            owner = started.owner();
            assertThatThrownBy(() -> server.connect(pool.templateName()).close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining(
                            "database \"" + pool.templateName() + "\" is not currently accepting connections")
                    .extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo("55000");
            for (int i = 0; i < 3; i++) {
                try (TestDatabase db = pool.lease();
                        Connection connection = db.dataSource().getConnection();
                        Statement statement = connection.createStatement()) {
                    statement.execute("INSERT INTO marker (owner) VALUES ('test " + i + "')");
                }
            }
            assertThat(pool.statistics().leases()).isEqualTo(3);
        }
        Inventory.of(server).since(baseline).assertBackToBaseline(owner, Set.of());
    }
}
