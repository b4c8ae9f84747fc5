package org.isolatedpg.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@link PrivilegeScenarios} on the embedded server, whose admin is a superuser: restricted by default. */
@ResourceLock(SharedServers.EMBEDDED_DEFAULT)
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
