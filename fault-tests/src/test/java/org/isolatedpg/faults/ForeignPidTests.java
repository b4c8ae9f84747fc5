package org.isolatedpg.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Row 22 of the fault matrix: an orphaned data directory whose {@code postmaster.pid} names a live process that is not
 * PostgreSQL — the test JVM itself, or an unrelated process (PIDs are reused). Starting the server never signals it,
 * and starts a server of its own.
 */
@Execution(ExecutionMode.CONCURRENT) // each test on a cluster of its own
class ForeignPidTests {

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"the test JVM", "an unrelated process"})
    void aLivePidInAStalePidFileIsNeverSignalled(String whose) throws Exception {
        TargetServer server = TargetServer.of("embedded", dataDirectory);
        server.start().close(); // a cluster, stopped
        Inventory baseline = Inventory.of(server);
        Process unrelated = whose.equals("the test JVM") ? null : new ProcessBuilder("sleep", "300").start();
        long pid = unrelated == null ? ProcessHandle.current().pid() : unrelated.pid();
        try {
            Path pidFile = Postmasters.pidFile(server);
            // What a crashed postmaster leaves, with its PID since given to another process.
            Files.writeString(
                    pidFile,
                    String.join(
                                    "\n",
                                    List.of(
                                            Long.toString(pid),
                                            pidFile.getParent().toString(),
                                            "0",
                                            "0")) + "\n");

            String owner;
            try (PostgresServer started = server.start();
                    TestDatabasePool pool = TestDatabasePool.open(
                            started,
                            TemplateSpec.of("classpath:db/library"),
                            server.configuration().poolSettings());
                    TestDatabase db = pool.lease()) {
                owner = started.owner();
                assertThat(Postmasters.pid(server))
                        .as("a postmaster of our own")
                        .isNotEqualTo(pid);
                assertThat(db.name()).startsWith("ipg_");
            }
            assertThat(Postmasters.alive(pid))
                    .as(whose + " (pid " + pid + ") is alive")
                    .isTrue();
            Inventory.of(server)
                    .since(baseline)
                    .assertBackToBaseline(owner, Set.of())
                    .assertUnchangedExcept("what persists between runs", Inventory::persists);
        } finally {
            if (unrelated != null) {
                unrelated.destroyForcibly();
            }
        }
    }
}
