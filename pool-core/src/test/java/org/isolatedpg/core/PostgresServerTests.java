package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.isolatedpg.core.internal.server.embedded.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

@ResourceLock(SharedServers.EMBEDDED_DEFAULT)
class PostgresServerTests {

    @TempDir
    static Path dataDirectory;

    /** A cluster of this test class's own, so that no other test or JVM is attached to it. */
    private static ServerSettings privateCluster() {
        return Configuration.from(List.of(
                        ConfigSource.of("test", Map.of(ConfigKeys.EMBEDDED_DATA_DIRECTORY, dataDirectory.toString()))))
                .serverSettings();
    }

    @Test
    void sharesOneServerAndTheLastToCloseStopsItKeepingItsTemplates() {
        PostgresServer first = PostgresServer.start(privateCluster());
        PostgresServer second = PostgresServer.start(privateCluster());
        EmbeddedServer embedded = (EmbeddedServer) first.attachment().server();
        long pid = embedded.pid();
        Path cluster = embedded.clusterDirectory();
        assertThat(second.description()).isEqualTo(first.description());

        first.close();
        assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive, "alive");

        second.close();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(cluster.resolve("data/PG_VERSION")).exists();
        assertThat(cluster.resolve("server.properties")).doesNotExist();
    }

    @Test
    void keepRunningLeavesTheServerForTheNextRunWhichAttachesAtOnce() {
        ServerSettings keep = Configuration.from(List.of(ConfigSource.of(
                        "test",
                        Map.of(
                                ConfigKeys.EMBEDDED_DATA_DIRECTORY,
                                dataDirectory.toString(),
                                ConfigKeys.EMBEDDED_KEEP_RUNNING,
                                "true"))))
                .serverSettings();
        PostgresServer first = PostgresServer.start(keep);
        long pid = ((EmbeddedServer) first.attachment().server()).pid();
        first.close();
        assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive, "alive");

        PostgresServer next = PostgresServer.start(privateCluster());
        assertThat(((EmbeddedServer) next.attachment().server()).pid()).isEqualTo(pid);
        next.close(); // without keep-running, the last one out stops it
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aSecondRunOnUnchangedMigrationsRunsNoMigration() {
        PoolSettings pool = Configuration.fromSystem().poolSettings();
        TemplateSpec spec = TemplateSpec.builder()
                .flyway(List.of("classpath:db/pooltest"))
                .flywayPlaceholders(Map.of("run", "second-run"))
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                .build();
        try (PostgresServer server = PostgresServer.start(privateCluster());
                TestDatabasePool first = TestDatabasePool.open(server, spec, pool)) {
            assertThat(first.statistics().migrationsExecuted()).isEqualTo(2);
        }
        try (PostgresServer server = PostgresServer.start(privateCluster());
                TestDatabasePool second = TestDatabasePool.open(server, spec, pool);
                TestDatabase db = second.lease()) {
            assertThat(second.statistics().templateReused()).isTrue();
            assertThat(second.statistics().migrationsExecuted()).isZero();
            assertThat(db.name()).startsWith("ipg_");
        }
    }

    @Test
    void listensOnLoopbackOnlyAndRequiresThePassword() throws SQLException {
        try (PostgresServer server =
                PostgresServer.start(Configuration.fromSystem().serverSettings())) {
            Server internal = new Server(server);
            assertThat(server.description()).matches("embedded PostgreSQL 18\\.\\d+ on 127\\.0\\.0\\.1:\\d+");
            assertThat(internal.setting("listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(internal.setting("unix_socket_directories")).isEmpty();
            assertThat(internal.setting("fsync")).isEqualTo("off");
            assertThat(internal.setting("password_encryption")).isEqualTo("scram-sha-256");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "wrong"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
        }
    }

    /** Reads server settings through the admin credentials. */
    private record Server(PostgresServer server) {
        String setting(String name) throws SQLException {
            org.isolatedpg.core.internal.server.Server internal =
                    server.attachment().server();
            try (Connection connection = DriverManager.getConnection(
                            server.jdbcUrl("postgres"), internal.user(), internal.password());
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SHOW " + name)) {
                rows.next();
                return rows.getString(1);
            }
        }
    }
}
