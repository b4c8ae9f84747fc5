package org.isolatedpg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigurationTests {

    @Test
    void takesEachValueFromTheFirstSourceThatHasIt() {
        Configuration configuration = Configuration.from(List.of(
                ConfigSource.of("annotation on [Tests]", Map.of(ConfigKeys.FLYWAY_LOCATIONS, "classpath:db/a")),
                ConfigSource.of(
                        "configuration parameter",
                        key -> java.util.Optional.ofNullable(
                                Map.of(ConfigKeys.FLYWAY_LOCATIONS, "classpath:db/b", ConfigKeys.POOL_SIZE, "7")
                                        .get(key))),
                ConfigSource.environment(
                        Map.of("ISOLATEDPG_POOL_SIZE", "9", "ISOLATEDPG_POOL_ACQUIRE_TIMEOUT", "2m"))));

        TemplateSpec spec = configuration.templateSpec();
        PoolSettings pool = configuration.poolSettings();

        assertThat(spec.flywayLocations()).containsExactly("classpath:db/a");
        assertThat(spec.origin(ConfigKeys.FLYWAY_LOCATIONS)).isEqualTo("annotation on [Tests]");
        assertThat(pool.size())
                .hasToString("'isolatedpg.pool.size' = 7 (from configuration parameter 'isolatedpg.pool.size')");
        assertThat(pool.acquireTimeout())
                .isEqualTo(new Setting<>(
                        ConfigKeys.POOL_ACQUIRE_TIMEOUT,
                        Duration.ofMinutes(2),
                        "environment variable ISOLATEDPG_POOL_ACQUIRE_TIMEOUT"));
        assertThat(pool.cloneStrategy())
                .isEqualTo(new Setting<>(ConfigKeys.CLONE_STRATEGY, CloneStrategy.FILE_COPY, "default"));
    }

    @Test
    void namesEnvironmentVariablesByOneRule() {
        assertThat(ConfigSource.environmentName("isolatedpg.pool.acquire-timeout"))
                .isEqualTo("ISOLATEDPG_POOL_ACQUIRE_TIMEOUT");
        assertThat(ConfigSource.environmentName("isolatedpg.datasource.maximum-pool-size"))
                .isEqualTo("ISOLATEDPG_DATASOURCE_MAXIMUM_POOL_SIZE");
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "2m, PT2M", "1h, PT1H", "PT45S, PT45S", " 10 s , PT10S"})
    void readsDurationsInShortAndIsoForm(String value, Duration expected) {
        assertThat(settings(ConfigKeys.POOL_ACQUIRE_TIMEOUT, value)
                        .acquireTimeout()
                        .value())
                .isEqualTo(expected);
    }

    @Test
    void readsPlaceholdersAndSeveralLocations() {
        Configuration configuration = Configuration.from(List.of(ConfigSource.of(
                "test",
                Map.of(
                        ConfigKeys.FLYWAY_LOCATIONS, "classpath:db/a, filesystem:sql",
                        ConfigKeys.FLYWAY_PLACEHOLDERS, "schema=app, owner=me"))));

        assertThat(configuration.templateSpec())
                .isEqualTo(TemplateSpec.builder()
                        .flyway(List.of("classpath:db/a", "filesystem:sql"))
                        .flywayPlaceholders(Map.of("schema", "app", "owner", "me"))
                        .origin(ConfigKeys.FLYWAY_LOCATIONS, "x")
                        .build());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "isolatedpg.pool.size | 65 | a whole number from 1 to 64",
                "isolatedpg.pool.acquire-timeout | -5s | a positive duration such as 500ms, 30s, 2m, 1h, 7d or PT30S",
                "isolatedpg.pool.acquire-timeout | 0s | a positive duration such as 500ms, 30s, 2m, 1h, 7d or PT30S",
                "isolatedpg.clone.strategy | fast | file_copy or wal_log",
                "isolatedpg.datasource.maximum-pool-size | ten | a whole number from 1 to 100"
            })
    void rejectsInvalidValuesNamingKeyValueSourceAndAcceptedForm(String key, String value, String accepted) {
        assertThatThrownBy(() -> settings(key, value))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value '" + value + "' for '" + key + "' (from environment variable "
                        + ConfigSource.environmentName(key) + "): expected " + accepted + ".");
    }

    @Test
    void rejectsPlaceholdersThatAreNotPairs() {
        Configuration configuration =
                Configuration.from(List.of(ConfigSource.of("test", Map.of(ConfigKeys.FLYWAY_PLACEHOLDERS, "schema"))));
        assertThatThrownBy(configuration::templateSpec)
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value 'schema' for 'isolatedpg.flyway.placeholders' (from test): expected"
                        + " comma-separated name=value pairs such as schema=app,owner=app.");
    }

    @Test
    void readsTheBinariesRepositoryAndShowsNoPasswordInIt() {
        String key = ConfigKeys.EMBEDDED_BINARIES_REPOSITORY;

        assertThat(Configuration.from(List.of()).serverSettings().binariesRepository())
                .isEqualTo(new Setting<>(key, "https://repo.maven.apache.org/maven2", "default"));
        Setting<String> mirror =
                serverSettings(key, "https://ci:hunter2@repo.example/maven2/").binariesRepository();
        assertThat(mirror.value()).isEqualTo("https://ci:hunter2@repo.example/maven2");
        assertThat(mirror)
                .hasToString("'isolatedpg.embedded.binaries-repository' = https://ci:<masked>@repo.example/maven2"
                        + " (from test)");
        assertThat(serverSettings(key, "https://hunter2@repo.example/maven2").binariesRepository())
                .hasToString("'isolatedpg.embedded.binaries-repository' = https://<masked>@repo.example/maven2"
                        + " (from test)");
        assertThat(serverSettings(key, "none").binariesRepository().value()).isEqualTo("none");
    }

    @ParameterizedTest
    @CsvSource({
        "ftp://repo.example/maven2, ftp://repo.example/maven2",
        "repo.example/maven2, repo.example/maven2",
        "https://repo.example/maven2?token=x, https://repo.example/maven2?token=<masked>",
        "https://ci:hunter2@repo example/maven2, https://ci:<masked>@repo example/maven2"
    })
    void rejectsABinariesRepositoryThatIsNoHttpUrlWithoutShowingItsPassword(String value, String shown) {
        assertThatThrownBy(() -> serverSettings(ConfigKeys.EMBEDDED_BINARIES_REPOSITORY, value))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value '" + shown + "' for 'isolatedpg.embedded.binaries-repository' (from test):"
                        + " expected an http(s) URL of a Maven repository such as https://repo.maven.apache.org/maven2,"
                        + " or none.")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void keepsTheDatabasesOfFiveFailedTestsUnlessToldOtherwise() {
        assertThat(Configuration.from(List.of()).serverSettings().keepFailed())
                .isEqualTo(new Setting<>(ConfigKeys.KEEP_FAILED, 5, "default"));
        assertThat(serverSettings(ConfigKeys.KEEP_FAILED, "0").keepFailed().value())
                .isZero();
        assertThat(serverSettings(ConfigKeys.KEEP_FAILED, "100").keepFailed().value())
                .isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "101", "five", "2.5", "true"})
    void rejectsAKeepFailedThatIsNoWholeNumberFromZeroToAHundred(String value) {
        assertThatThrownBy(() -> Configuration.from(
                                List.of(ConfigSource.environment(Map.of("ISOLATEDPG_KEEP_FAILED", value))))
                        .serverSettings())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value '" + value + "' for 'isolatedpg.keep-failed' (from environment variable"
                        + " ISOLATEDPG_KEEP_FAILED): expected a whole number from 0 to 100 (0 keeps none).");
    }

    private static ServerSettings serverSettings(String key, String value) {
        return Configuration.from(List.of(ConfigSource.of("test", Map.of(key, value))))
                .serverSettings();
    }

    private static PoolSettings settings(String key, String value) {
        return Configuration.from(List.of(ConfigSource.environment(Map.of(ConfigSource.environmentName(key), value))))
                .poolSettings();
    }
}
