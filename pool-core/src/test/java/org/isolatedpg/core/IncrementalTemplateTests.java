package org.isolatedpg.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link IncrementalTemplateScenarios} on the embedded server. */
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
