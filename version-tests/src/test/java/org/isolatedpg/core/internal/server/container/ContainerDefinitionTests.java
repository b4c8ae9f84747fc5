package org.isolatedpg.core.internal.server.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

/**
 * The container definition, run with each Testcontainers version this module's executions put on the classpath. It
 * needs no Docker engine, so every call {@link ContainerServer} makes before starting the container is linked against
 * that version here, whether or not an engine answers. In pool-core's package, as the definition is not API.
 */
class ContainerDefinitionTests {

    @Test
    void definesPostgresWithItsEnvironmentATmpfsAndThrowawaySettings() {
        try (GenericContainer<?> container = ContainerServer.definition("postgis/postgis:17-3.5", "s3cret")) {
            assertThat(container.getEnvMap())
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "POSTGRES_USER", "isolatedpg",
                            "POSTGRES_PASSWORD", "s3cret",
                            "POSTGRES_DB", "postgres",
                            "PGDATA", "/var/lib/postgresql/isolatedpg"));
            assertThat(container.getTmpFsMapping()).isEqualTo(Map.of("/var/lib/postgresql/isolatedpg", "rw"));
            assertThat(container.getCommandParts())
                    .containsExactly(
                            "postgres",
                            "-c",
                            "fsync=off",
                            "-c",
                            "synchronous_commit=off",
                            "-c",
                            "full_page_writes=off",
                            "-c",
                            "max_connections=300");
            assertThat(container.getExposedPorts()).containsExactly(5432);
        }
    }
}
