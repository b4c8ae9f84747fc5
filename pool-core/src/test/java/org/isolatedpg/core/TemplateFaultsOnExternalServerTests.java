package org.isolatedpg.core;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TemplateFaultScenarios} on the machine's PostgreSQL on 127.0.0.1:5432: skipped where none answers, except
 * on CI ({@code CI=true}), where its absence fails the tests.
 */
class TemplateFaultsOnExternalServerTests extends TemplateFaultScenarios {

    private static PostgresServer server;

    @BeforeAll
    static void connect() {
        server = ExternalPostgres.startOrSkip();
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
