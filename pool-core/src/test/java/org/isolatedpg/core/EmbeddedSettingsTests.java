package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.isolatedpg.core.internal.server.Server;
import org.isolatedpg.core.internal.server.embedded.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@value ConfigKeys#EMBEDDED_SETTINGS}: PostgreSQL settings for the embedded server this JVM starts. */
@ResourceLock(SharedServers.EXTERNAL)
class EmbeddedSettingsTests {

    @TempDir
    Path dataDirectory;

    @Test
    void startsTheServerWithTheSettingsQuotedForTheShell() throws SQLException {
        try (PostgresServer server =
                PostgresServer.start(settings("max_connections=20,log_line_prefix=%m [%p] it's"))) {
            assertThat(show(server, "max_connections")).isEqualTo("20");
            assertThat(show(server, "log_line_prefix")).isEqualTo("%m [%p] it's");
        }
    }

    @Test
    void aServerRunningWithOtherSettingsKeepsThemWhileUsedAndIsRestartedWithNewOnesWhenNot() throws SQLException {
        Map<String, String> keep = new HashMap<>(values("max_connections=20"));
        keep.put(ConfigKeys.EMBEDDED_KEEP_RUNNING, "true");
        PostgresServer first = PostgresServer.start(
                Configuration.from(List.of(ConfigSource.of("test", keep))).serverSettings());
        long pid = ((EmbeddedServer) first.attachment().server()).pid();
        try (PostgresServer second = PostgresServer.start(settings("max_connections=25"))) {
            assertThat(show(second, "max_connections")).isEqualTo("20"); // in use: kept, with a warning
        }
        first.close(); // kept running

        try (PostgresServer next = PostgresServer.start(settings("max_connections=25"))) {
            assertThat(show(next, "max_connections")).isEqualTo("25");
            assertThat(((EmbeddedServer) next.attachment().server()).pid()).isNotEqualTo(pid);
        }
    }

    @Test
    void aJvmAttachingWithOtherSettingsIsWarnedOfThemByNameWithoutSecretValues() throws Exception {
        String token = "tok-" + SecretsTests.random();
        try (PostgresServer server = PostgresServer.start(settings("max_connections=20,app.secret_token=" + token))) {
            Map<String, String> child = new HashMap<>(values("max_connections=30"));
            child.put(ConfigKeys.FLYWAY_LOCATIONS, "classpath:db/pooltest");
            child.put(ConfigKeys.POOL_SIZE, "1");

            String output = SecretsTests.runChild(child);

            assertThat(output)
                    .contains(" WARN org.isolatedpg.core.internal.server.embedded.Cluster - The embedded server in ")
                    .contains("app.secret_token (asked nothing, runs with <masked>), max_connections (asked 30,"
                            + " runs with 20)")
                    .doesNotContain(token);
            assertThat(show(server, "max_connections")).isEqualTo("20");
        }
    }

    @Test
    void aSettingPostgresRefusesFailsTheStartNamingItAndTheKey() {
        assertThatThrownBy(() -> PostgresServer.start(settings("max_connections=many")))
                .isInstanceOf(IsolatedPostgresException.class)
                .hasMessageContaining("invalid value for parameter \"max_connections\": \"many\"")
                .hasMessageEndingWith("PostgreSQL refused a setting: check 'isolatedpg.embedded.settings' ="
                        + " {max_connections=many} (from test).");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Max_Connections=20", "max-connections=20", "work_mem", "port=5432", "cluster_name=x"})
    void refusesWhatIsNotASettingItMaySetNamingKeyValueSourceAndForm(String value) {
        assertThatThrownBy(() -> settings(value))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value '" + value + "' for 'isolatedpg.embedded.settings' (from test): expected"
                        + " comma-separated name=value pairs of PostgreSQL settings such as"
                        + " max_connections=20,log_statement=all, each name matching [a-z_][a-z0-9_.]* (not port or"
                        + " cluster_name, which isolated-postgres sets) and no value holding a control character.");
    }

    private ServerSettings settings(String embeddedSettings) {
        return Configuration.from(List.of(ConfigSource.of("test", values(embeddedSettings))))
                .serverSettings();
    }

    private Map<String, String> values(String embeddedSettings) {
        return Map.of(
                ConfigKeys.EMBEDDED_DATA_DIRECTORY,
                dataDirectory.toString(),
                ConfigKeys.EMBEDDED_SETTINGS,
                embeddedSettings);
    }

    private static String show(PostgresServer server, String setting) throws SQLException {
        Server internal = server.attachment().server();
        try (Connection connection =
                        DriverManager.getConnection(server.jdbcUrl("postgres"), internal.user(), internal.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW " + setting)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
