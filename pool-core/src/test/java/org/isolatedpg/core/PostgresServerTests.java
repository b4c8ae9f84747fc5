package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.isolatedpg.core.internal.server.embedded.EmbeddedServer;
import org.junit.jupiter.api.Test;

class PostgresServerTests {

    @Test
    void leavesNoProcessAndNoDirectoryBehindWhenClosed() {
        PostgresServer server = PostgresServer.start(Configuration.fromSystem().serverSettings());
        EmbeddedServer embedded = (EmbeddedServer) server.server();
        long pid = embedded.pid();
        Path directory = embedded.runDirectory();
        assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive);
        assertThat(directory.resolve("data/PG_VERSION")).exists();

        server.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Files.exists(directory)).isFalse();
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
            org.isolatedpg.core.internal.server.Server internal = server.server();
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
