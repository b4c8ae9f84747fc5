package org.isolatedpg.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.isolatedpg.core.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Row 2 of the fault matrix: the JVM that started the embedded server is killed, and its postmaster lives on,
 * orphaned. The next start adopts it; when the last JVM leaves, no postmaster, pid file or server record is left.
 */
@Execution(ExecutionMode.CONCURRENT) // each test on a cluster of its own
class OrphanedPostmasterTests {

    @TempDir
    Path dataDirectory;

    @Test
    void theNextStartAdoptsTheOrphanedPostmasterAndTheLastJvmOutStopsIt() throws Exception {
        TargetServer server = TargetServer.of("embedded", dataDirectory);
        Inventory baseline = Inventory.of(server);
        long postmaster;
        String owner;
        try (ChildJvm starter = ChildJvm.start(server, "lease", "classpath:db/library")) {
            starter.awaitLine("LEASED");
            owner = starter.owner();
            postmaster = Postmasters.pid(server);
            starter.kill();
        }
        assertThat(Postmasters.alive(postmaster)).as("the orphaned postmaster").isTrue();
        server.awaitOwnerGone(owner);

        String next;
        try (PostgresServer adopter = server.start()) {
            next = adopter.owner();
            assertThat(Postmasters.pid(server)).as("the adopted postmaster").isEqualTo(postmaster);
            // The janitor sweeps in the background after a start: within one sweep, what the dead owner left is gone.
            Await.until(
                    "the janitor to drop what " + owner + " left",
                    () -> Inventory.isBackToBaseline(server, baseline, owner));
        }
        Postmasters.awaitGone(postmaster);
        Inventory.of(server)
                .since(baseline)
                .assertBackToBaseline(next, Set.of())
                .assertUnchangedExcept("what persists between runs", Inventory::persists);
    }

    @Test
    void aJvmStillAttachedKeepsTheServerWhenAnotherIsKilled() throws Exception {
        TargetServer server = TargetServer.of("embedded", dataDirectory);
        Inventory baseline = Inventory.of(server);
        try (ChildJvm doomed = ChildJvm.start(server, "server");
                ChildJvm survivor = ChildJvm.start(server, "lease", "classpath:db/library")) {
            doomed.awaitLine("ATTACHED");
            survivor.awaitLine("LEASED");
            long postmaster = Postmasters.pid(server);
            String owner = doomed.owner();
            doomed.kill();
            server.awaitOwnerGone(owner);

            assertThat(Postmasters.alive(postmaster)).isTrue();
            assertThat(survivor.stop(Await.PATIENCE.toSeconds())).isTrue();
            Postmasters.awaitGone(postmaster);
        }
        Inventory.of(server).since(baseline).assertUnchangedExcept("what persists between runs", Inventory::persists);
    }
}
