package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.isolatedpg.core.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class ConfigurationErrorTests {

    static Stream<Arguments> invalidConfigurationParameters() {
        return Stream.of(
                Arguments.of("isolatedpg.pool.size", "zero", "a whole number from 1 to 64"),
                Arguments.of("isolatedpg.pool.size", "0", "a whole number from 1 to 64"),
                Arguments.of(
                        "isolatedpg.pool.acquire-timeout",
                        "soon",
                        "a positive duration such as 500ms, 30s, 2m, 1h, 7d or PT30S"),
                Arguments.of("isolatedpg.clone.strategy", "copy", "file_copy or wal_log"),
                Arguments.of("isolatedpg.isolation", "per_test", "per_method or per_class"),
                Arguments.of("isolatedpg.datasource.maximum-pool-size", "1000", "a whole number from 1 to 100"),
                Arguments.of("isolatedpg.keep-failed", "all", "a whole number from 0 to 100 (0 keeps none)"),
                Arguments.of("isolatedpg.keep-failed", "-1", "a whole number from 0 to 100 (0 keeps none)"));
    }

    @ParameterizedTest
    @MethodSource("invalidConfigurationParameters")
    void failsTheClassNamingKeyValueSourceAndAcceptedForm(String key, String value, String acceptedForm) {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(Map.of(key, value), ValidTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(0));
        assertThat(IsolatedPostgresTestKit.failures(
                        results.containerEvents().failed().list()))
                .singleElement(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid value '" + value + "' for '" + key + "' (from configuration parameter '" + key
                        + "'): expected " + acceptedForm + ".")
                .cause()
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void namesTheAnnotatedClassWhenTheAnnotationHoldsTheInvalidValue() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(UnsupportedLocationTestCase.class);

        assertThat(IsolatedPostgresTestKit.failures(
                        results.containerEvents().failed().list()))
                .singleElement(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid value 's3:bucket/db/migration' for 'isolatedpg.flyway.locations' (from annotation"
                        + " on [org.isolatedpg.junit.ConfigurationErrorTests$UnsupportedLocationTestCase]): expected"
                        + " comma-separated locations such as classpath:db/migration, db/migration (classpath: by"
                        + " default) or filesystem:src/main/resources/db.");
    }

    @Test
    void keepsItsDefaultPoolSizeValidForAnyJunitParallelism() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(
                Map.of(
                        // embedded in both suites: 64 clones on the external server's disk would take a while
                        "isolatedpg.server.mode", "embedded",
                        "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", "128"),
                ValidTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    static class ValidTestCase {

        @Test
        void usesTheDatabase(DataSource dataSource) throws java.sql.SQLException {
            assertThat(IsolatedPostgresTestKit.databaseName(dataSource)).startsWith("ipg_");
        }
    }

    @IsolatedPostgres(migrations = "s3:bucket/db/migration")
    static class UnsupportedLocationTestCase {

        @Test
        void usesTheDatabase(DataSource dataSource) {}
    }
}
