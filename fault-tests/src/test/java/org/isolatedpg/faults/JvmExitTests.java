package org.isolatedpg.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import javax.sql.DataSource;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Row 20 of the fault matrix: a JVM running tests through the JUnit launcher, as a Surefire fork does, ends while a
 * test holds a database — by {@code System.exit}, by {@code Runtime.halt} and by SIGKILL. The next start leaves nothing
 * of it. A normal end closes everything, in a bounded time.
 */
@Execution(ExecutionMode.CONCURRENT) // each test on a cluster of its own
class JvmExitTests {

    /** A normal end must not hang past Surefire's exit timeout (30 s); our share of it is the pools' close. */
    private static final long NORMAL_EXIT_SECONDS = 10;

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"exit", "halt", "kill"})
    void theNextStartCleansUpAfterAForkThatEnded(String how) throws Exception {
        TargetServer server = TargetServer.of("embedded", dataDirectory);
        Inventory baseline = Inventory.of(server);
        String owner;
        try (ChildJvm fork = ChildJvm.start(server, "junit", HoldingTestCase.class.getName())) {
            String database = fork.awaitLine("LEASED").get(1);
            owner = Inventory.ownerOf(database);
            assertThat(Inventory.of(server).of(owner)).contains("database " + database);
            switch (how) {
                case "exit" -> fork.send("exit");
                case "halt" -> fork.send("halt");
                default -> fork.kill();
            }
            assertThat(fork.awaitExit()).isEqualTo(how.equals("exit") ? 3 : 137);
        }
        String next;
        try (PostgresServer nextStart = server.start()) {
            next = nextStart.owner();
            // The janitor sweeps in the background after a start: within one sweep, what the dead owner left is gone.
            Await.until(
                    "the janitor to drop what " + owner + " left",
                    () -> Inventory.isBackToBaseline(server, baseline, owner));
        }
        Inventory.of(server)
                .since(baseline)
                .assertBackToBaseline(next, Set.of())
                .assertUnchangedExcept("what persists between runs", Inventory::persists);
    }

    @Test
    void aNormalEndClosesEverythingInBoundedTime() throws Exception {
        TargetServer server = TargetServer.of("embedded", dataDirectory);
        Inventory baseline = Inventory.of(server);
        try (ChildJvm fork = ChildJvm.start(server, "junit", HoldingTestCase.class.getName())) {
            fork.awaitLine("LEASED");
            assertThat(fork.stop(NORMAL_EXIT_SECONDS))
                    .as("the fork ended within %d s of its last test", NORMAL_EXIT_SECONDS)
                    .isTrue();
        }
        Inventory.of(server).since(baseline).assertUnchangedExcept("what persists between runs", Inventory::persists);
    }

    /** Runs in the child: holds its database until told what to do on standard input. */
    @IsolatedPostgres(migrations = "classpath:db/library")
    static class HoldingTestCase {

        @Test
        void holdsADatabase(DataSource dataSource, TestInfo test) throws Exception {
            Assumptions.assumeTrue(
                    Boolean.getBoolean(ChildJvm.CHILD_PROPERTY), "waits for commands: runs only in a child JVM");
            try (var connection = dataSource.getConnection();
                    var statement = connection.createStatement();
                    var rows = statement.executeQuery("SELECT current_database()")) {
                rows.next();
                ChildMain.report("LEASED " + rows.getString(1));
            }
            ChildMain.obey();
        }
    }
}
