package org.isolatedpg.versions;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.PostgresServer;
import org.junit.jupiter.api.Test;

/** The container mode in a build without Testcontainers (a Surefire execution of its own, which takes it away). */
class WithoutTestcontainersTests {

    @Test
    void containerModeNamesTheArtifactToAdd() {
        assertThatThrownBy(() -> Class.forName("org.testcontainers.DockerClientFactory"))
                .isInstanceOf(ClassNotFoundException.class);

        assertThatThrownBy(() -> PostgresServer.start(Configuration.from(
                                List.of(ConfigSource.of("test", Map.of(ConfigKeys.SERVER_MODE, "container"))))
                        .serverSettings()))
                .isInstanceOf(IsolatedPostgresException.class)
                .hasMessage("'isolatedpg.server.mode' = container (from test) needs Testcontainers: add"
                        + " org.testcontainers:testcontainers to the test dependencies.")
                .hasCauseInstanceOf(ClassNotFoundException.class);
    }
}
