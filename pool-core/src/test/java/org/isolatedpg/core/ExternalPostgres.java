package org.isolatedpg.core;

import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's PostgreSQL on 127.0.0.1:5432 (trust authentication), for the tests that run on an external server: a
 * server shared with others. Where none answers they are skipped with that reason — except on CI ({@code CI=true}),
 * where its absence fails them.
 */
final class ExternalPostgres {

    private ExternalPostgres() {}

    /** Attaches to it, or skips the test class saying why. */
    static PostgresServer startOrSkip() {
        Assumptions.assumeTrue(
                RolesOnExternalServerTests.answers() || "true".equals(System.getenv("CI")),
                "no PostgreSQL answers on 127.0.0.1:5432 (CI=true makes this a failure)");
        return PostgresServer.start(
                Configuration.from(List.of(ConfigSource.of("test", RolesOnExternalServerTests.EXTERNAL)))
                        .serverSettings());
    }
}
