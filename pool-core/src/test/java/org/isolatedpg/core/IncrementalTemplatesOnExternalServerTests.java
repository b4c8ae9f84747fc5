package org.isolatedpg.core;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link IncrementalTemplateScenarios} on the machine's PostgreSQL on 127.0.0.1:5432: skipped where none answers,
 * except on CI ({@code CI=true}), where its absence fails the tests.
 */
class IncrementalTemplatesOnExternalServerTests extends IncrementalTemplateScenarios {

    @RegisterExtension
    static final ExternalPostgres EXTERNAL_SERVER = new ExternalPostgres();

    @Override
    PostgresServer server() {
        return EXTERNAL_SERVER.server();
    }
}
