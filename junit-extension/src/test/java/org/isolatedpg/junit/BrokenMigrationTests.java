package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.sql.DataSource;
import org.isolatedpg.core.TemplateBuildException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class BrokenMigrationTests {

    @Test
    void failsEveryTestWithTheMigrationErrorAfterRunningItOnce() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(BrokenMigrationTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(3).failed(3));
        List<Throwable> failures =
                IsolatedPostgresTestKit.failures(results.testEvents().failed().list());
        assertThat(failures)
                .allSatisfy(failure -> assertThat(failure)
                        .isInstanceOf(ParameterResolutionException.class)
                        .hasMessageMatching("(?s)Could not build template [0-9a-f]{12}: migration V2__broken.sql"
                                + " failed \\(SQLState 42601\\)\\.\n"
                                + "-> Error            : ERROR: syntax error at or near \"TABLEX\"\n"
                                + "-> Source           : Flyway locations classpath:db/broken \\(from annotation on"
                                + " \\[org.isolatedpg.junit.BrokenMigrationTests\\$BrokenMigrationTestCase\\]\\)\n"
                                + "-> Server           : (embedded|external) PostgreSQL \\d+\\.\\d+ .*on 127\\.0\\.0\\.1:\\d+\n"
                                + "The migration's own error: fix the migration; the half-built template was"
                                + " dropped and nothing else was touched\\.")
                        .cause()
                        .isInstanceOf(TemplateBuildException.class));
        // One build, remembered: every test fails with the very same exception.
        assertThat(failures.stream().map(Throwable::getCause).distinct()).hasSize(1);
    }

    @IsolatedPostgres(migrations = "classpath:db/broken")
    static class BrokenMigrationTestCase {

        @Test
        void first(DataSource dataSource) {}

        @Test
        void second(DataSource dataSource) {}

        @Test
        void third(DataSource dataSource) {}
    }
}
