package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.ServerMode;
import org.isolatedpg.core.ServerSettings;
import org.isolatedpg.core.Setting;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** The container mode. Its end-to-end test needs a Docker engine; without one, the mode must say so at once. */
class ContainerServerTests {

    private static Configuration container(Map<String, String> extra) {
        Map<String, String> values = new java.util.HashMap<>(Map.of(ConfigKeys.SERVER_MODE, "container"));
        values.putAll(extra);
        return Configuration.from(List.of(ConfigSource.of("test", values)));
    }

    private static boolean dockerAnswers() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @Test
    void takesTheImageFromConfigurationWithItsSource() {
        ServerSettings settings = container(Map.of(ConfigKeys.CONTAINER_IMAGE, "postgis/postgis:17-3.5"))
                .serverSettings();

        assertThat(settings.mode()).isEqualTo(new Setting<>(ConfigKeys.SERVER_MODE, ServerMode.CONTAINER, "test"));
        assertThat(settings.containerImage())
                .isEqualTo(new Setting<>(ConfigKeys.CONTAINER_IMAGE, "postgis/postgis:17-3.5", "test"));
        assertThat(container(Map.of()).serverSettings().containerImage().value())
                .isEqualTo("postgres:18");
    }

    @Test
    void saysAtOnceThatItNeedsADockerEngineWhereNoneAnswers() {
        Assumptions.assumeFalse(dockerAnswers(), "a Docker engine answers here");

        assertThatThrownBy(() -> PostgresServer.start(container(Map.of()).serverSettings()))
                .isInstanceOf(IsolatedPostgresException.class)
                .hasMessage("'isolatedpg.server.mode' = container needs a Docker engine, and none answers here. Start"
                        + " one, or use 'isolatedpg.server.mode' = embedded or external.");
    }

    @Test
    void leasesMigratedClonesFromAContainer() throws SQLException {
        Assumptions.assumeTrue(dockerAnswers(), "no Docker engine answers here");
        assertThat(Leases.leaseAClone(container(Map.of()))).startsWith("container PostgreSQL (postgres:18)");
    }
}
