package org.isolatedpg.core.internal.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.isolatedpg.core.AdminAccess;
import org.isolatedpg.core.SharedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@link LiquibaseSource} applied on the machine's PostgreSQL on 127.0.0.1:5432 (trust authentication): skipped where
 * none answers, except on CI ({@code CI=true}), where its absence fails the test.
 */
@ResourceLock(SharedServers.EXTERNAL)
class LiquibaseOnExternalServerTests {

    private static AdminAccess admin;

    @BeforeAll
    static void attach() {
        Assumptions.assumeTrue(
                AdminAccess.externalAnswers() || "true".equals(System.getenv("CI")),
                "no PostgreSQL answers on 127.0.0.1:5432 (CI=true makes this a failure)");
        admin = AdminAccess.external();
    }

    @AfterAll
    static void detach() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void appliesEveryFormatIncludeAndFilterOfAChangelog() throws SQLException {
        try (ScratchDatabase database = ScratchDatabase.create(admin)) {
            int ran = AppChangelog.source().apply(database.target(getClass().getClassLoader()));

            assertThat(ran).isEqualTo(8);
            AppChangelog.assertBuilt(database);
        }
    }
}
