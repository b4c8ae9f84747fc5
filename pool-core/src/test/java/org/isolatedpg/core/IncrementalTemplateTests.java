package org.isolatedpg.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@link IncrementalTemplateScenarios} on the embedded server. */
@ResourceLock(SharedServers.EMBEDDED_DEFAULT)
class IncrementalTemplateTests extends IncrementalTemplateScenarios {

    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start(Configuration.fromSystem().serverSettings());
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
