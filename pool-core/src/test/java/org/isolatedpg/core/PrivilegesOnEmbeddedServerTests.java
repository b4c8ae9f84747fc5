package org.isolatedpg.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link PrivilegeScenarios} on the embedded server, whose admin is a superuser: restricted by default. */
class PrivilegesOnEmbeddedServerTests extends PrivilegeScenarios {

    private static PostgresServer server;

    @BeforeAll
    static void start() {
        server = PostgresServer.start(Configuration.fromSystem().serverSettings());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Override
    PostgresServer server() {
        return server;
    }
}
