package org.isolatedpg.core;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The machine's PostgreSQL on 127.0.0.1:5432 (trust authentication), for the test classes that run on an external
 * server, a server shared with others: attached before the class's tests and detached after them. Where none answers
 * the class is skipped with that reason — except on CI ({@code CI=true}), where its absence fails it.
 *
 * <pre>{@code @RegisterExtension static final ExternalPostgres EXTERNAL = new ExternalPostgres();}</pre>
 */
final class ExternalPostgres implements BeforeAllCallback, AfterAllCallback {

    private PostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(
                RolesOnExternalServerTests.answers() || "true".equals(System.getenv("CI")),
                "no PostgreSQL answers on 127.0.0.1:5432 (CI=true makes this a failure)");
        server = PostgresServer.start(
                Configuration.from(List.of(ConfigSource.of("test", RolesOnExternalServerTests.EXTERNAL)))
                        .serverSettings());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    PostgresServer server() {
        return server;
    }
}
