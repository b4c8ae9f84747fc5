package org.isolatedpg.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** {@link RoleScenarios} on an embedded server of this class's own, whose cluster outlives each build. */
class RolesOnEmbeddedServerTests extends RoleScenarios {

    @TempDir
    static Path dataDirectory;

    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start(Configuration.from(List.of(
                        ConfigSource.of("test", Map.of(ConfigKeys.EMBEDDED_DATA_DIRECTORY, dataDirectory.toString()))))
                .serverSettings());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    PostgresServer server() {
        return server;
    }
}
