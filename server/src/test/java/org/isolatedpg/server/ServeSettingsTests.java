package org.isolatedpg.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.ServerMode;
import org.isolatedpg.server.internal.config.ServeSettings;
import org.junit.jupiter.api.Test;

/** IntegreSQL's environment names, the library's keys, their precedence, and errors that name the fix. */
class ServeSettingsTests {

    private static ServeSettings settings(Map<String, String> environment) {
        return ServeSettings.from(new Properties(), environment);
    }

    @Test
    void defaultsAreIntegresqlsOnLoopbackAndTheEmbeddedServer() {
        ServeSettings settings = settings(Map.of());
        assertThat(settings.address().getPort()).isEqualTo(5000);
        assertThat(settings.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(settings.token()).isNull();
        assertThat(settings.server().mode().value()).isEqualTo(ServerMode.EMBEDDED);
        assertThat(settings.engine().finalizeTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.engine().pool().acquireTimeout().value()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.engine().maxPoolSize())
                .isEqualTo(4 * Runtime.getRuntime().availableProcessors());
    }

    @Test
    void integresqlsNamesSetTheServerAndThePool() {
        ServeSettings settings = settings(Map.of(
                "INTEGRESQL_PORT", "5123",
                "INTEGRESQL_PGHOST", "db.example",
                "PGHOST", "ignored.example",
                "INTEGRESQL_PGUSER", "manager",
                "INTEGRESQL_PGPASSWORD", "pw",
                "INTEGRESQL_TEST_INITIAL_POOL_SIZE", "3",
                "INTEGRESQL_TEST_MAX_POOL_SIZE", "12",
                "INTEGRESQL_TEST_DB_GET_TIMEOUT_MS", "1500",
                "INTEGRESQL_TEMPLATE_FINALIZE_TIMEOUT_MS", "2500"));
        assertThat(settings.address().getPort()).isEqualTo(5123);
        assertThat(settings.server().mode().value()).isEqualTo(ServerMode.EXTERNAL);
        assertThat(settings.server().url().value()).isEqualTo("jdbc:postgresql://db.example:5432/postgres");
        assertThat(settings.server().user().value()).isEqualTo("manager");
        assertThat(settings.engine().pool().size().value()).isEqualTo(3);
        assertThat(settings.engine().maxPoolSize()).isEqualTo(12);
        assertThat(settings.engine().pool().acquireTimeout().value()).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.engine().finalizeTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(settings.toString()).doesNotContain("pw");
    }

    @Test
    void aSystemPropertyWinsOverTheEnvironment() {
        Properties properties = new Properties();
        properties.setProperty("isolatedpg.pool.size", "2");
        ServeSettings settings = ServeSettings.from(
                properties, Map.of("INTEGRESQL_TEST_INITIAL_POOL_SIZE", "5", "ISOLATEDPG_POOL_SIZE", "6"));
        assertThat(settings.engine().pool().size().value()).isEqualTo(2);
    }

    @Test
    void listeningBeyondLoopbackNeedsAToken() {
        assertThatThrownBy(() -> settings(Map.of("INTEGRESQL_ADDRESS", "0.0.0.0")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'INTEGRESQL_ADDRESS' = '0.0.0.0'")
                .hasMessageContaining("environment variable INTEGRESQL_ADDRESS")
                .hasMessageContaining("isolatedpg.http.token")
                .hasMessageContaining("ISOLATEDPG_HTTP_TOKEN");
        ServeSettings settings =
                settings(Map.of("INTEGRESQL_ADDRESS", "0.0.0.0", "ISOLATEDPG_HTTP_TOKEN", "a-long-secret"));
        assertThat(settings.token()).isEqualTo("a-long-secret");
        assertThat(settings.toString()).doesNotContain("a-long-secret");
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheFix() {
        assertThatThrownBy(() -> settings(Map.of("INTEGRESQL_PORT", "fivethousand")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("'INTEGRESQL_PORT' = 'fivethousand' (from environment variable INTEGRESQL_PORT) is not a"
                        + " whole number from 0 to 65535.");
        assertThatThrownBy(() -> settings(
                        Map.of("INTEGRESQL_TEST_INITIAL_POOL_SIZE", "8", "INTEGRESQL_TEST_MAX_POOL_SIZE", "8")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'INTEGRESQL_TEST_MAX_POOL_SIZE' = 8")
                .hasMessageContaining(
                        "isolatedpg.pool.size = 8 (from environment variable" + " INTEGRESQL_TEST_INITIAL_POOL_SIZE)");
        assertThatThrownBy(() -> settings(Map.of("INTEGRESQL_TEST_DB_GET_TIMEOUT_MS", "soon")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("isolatedpg.pool.acquire-timeout")
                .hasMessageContaining("soon")
                .hasMessageContaining("INTEGRESQL_TEST_DB_GET_TIMEOUT_MS");
        assertThatThrownBy(() -> settings(Map.of("INTEGRESQL_ADDRESS", "no-such-host.invalid")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("'INTEGRESQL_ADDRESS' = 'no-such-host.invalid'");
    }

    @Test
    void theCommandLineAnswersHelpAndRefusesUnknownCommands() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(Main.run(new String[] {"--help"}, stdout, stderr)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("serve", "INTEGRESQL_PORT");
        assertThat(Main.run(new String[] {"serve", "--help"}, stdout, stderr)).isZero();
        assertThat(Main.run(new String[] {"frobnicate"}, stdout, stderr)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown command 'frobnicate'");
        assertThat(Main.run(new String[0], stdout, stderr)).isEqualTo(2);
    }
}
