package org.isolatedpg.core;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@link TemplateFaultScenarios} on the machine's PostgreSQL on 127.0.0.1:5432: skipped where none answers, except
 * on CI ({@code CI=true}), where its absence fails the tests.
 */
@ResourceLock(SharedServers.EXTERNAL)
class TemplateFaultsOnExternalServerTests extends TemplateFaultScenarios {

    @RegisterExtension
    static final ExternalPostgres EXTERNAL_SERVER = new ExternalPostgres();

    @Override
    PostgresServer server() {
        return EXTERNAL_SERVER.server();
    }
}
