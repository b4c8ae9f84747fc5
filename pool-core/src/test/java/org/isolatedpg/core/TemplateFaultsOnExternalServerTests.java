package org.isolatedpg.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TemplateFaultScenarios} on the machine's PostgreSQL on 127.0.0.1:5432: skipped where none answers, except
 * on CI ({@code CI=true}), where its absence fails the tests.
 */
class TemplateFaultsOnExternalServerTests extends TemplateFaultScenarios {

    private static PostgresServer server;

    @BeforeAll
    static void connect() {
        Assumptions.assumeTrue(
                RolesOnExternalServerTests.answers() || "true".equals(System.getenv("CI")),
                "no PostgreSQL answers on 127.0.0.1:5432 (CI=true makes this a failure)");
        server = PostgresServer.start(RolesOnExternalServerTests.serverSettings(RolesOnExternalServerTests.EXTERNAL));
    }

    @AfterAll
    static void disconnect() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    PostgresServer server() {
        return server;
    }
}
