package org.isolatedpg.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import db.throwing.V2__Throws;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.isolatedpg.core.TemplateBuildException;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Row 4 of the fault matrix, for a Java migration: one that throws is the migration's own error. Its template is
 * never made, the first test fails naming the migration and its exception, and the twenty tests that need the
 * template all fail with that same, remembered failure — the migration ran once.
 */
@ResourceLock(TargetServer.EXTERNAL_LOCK)
class JavaMigrationFailureTests {

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "external"})
    void aJavaMigrationThatThrowsFailsEveryTestOfItsTemplateHavingRunOnce(String mode) throws Exception {
        TargetServer server = TargetServer.of(mode, dataDirectory);
        Inventory baseline = Inventory.of(server);
        V2__Throws.RUNS.set(0);
        Map<String, String> configuration = new HashMap<>(server.values());
        configuration.put("isolatedpg.flyway.placeholders", "run=" + System.nanoTime()); // a template of its own

        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(false)
                .configurationParameters(configuration)
                .selectors(selectClass(NeedsTheTemplateTestCase.class))
                .execute();

        results.testEvents().assertStatistics(stats -> stats.started(20).failed(20));
        List<Throwable> causes = results.testEvents().failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class)
                        .getThrowable()
                        .orElseThrow()
                        .getCause())
                .distinct()
                .toList();
        assertThat(causes).hasSize(1);
        assertThat(causes.get(0))
                .isInstanceOf(TemplateBuildException.class)
                .hasMessageContaining("migration db.throwing.V2__Throws failed")
                .hasMessageContaining("deliberately failing Java migration")
                .hasMessageEndingWith("The migration's own error: fix the migration; the half-built template was"
                        + " dropped and nothing else was touched.");
        assertThat(V2__Throws.RUNS).hasValue(1);
        Inventory.of(server).since(baseline).assertUnchangedExcept("what persists between runs", Inventory::persists);
    }

    @IsolatedPostgres(migrations = "classpath:db/throwing")
    static class NeedsTheTemplateTestCase {

        @RepeatedTest(20)
        void needsADatabase(DataSource dataSource) {
            assertThat(dataSource).isNotNull();
        }
    }
}
