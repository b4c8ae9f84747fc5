package org.isolatedpg.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Row 1 of the fault matrix: a JVM killed (SIGKILL: no shutdown hook, no finally) while holding leases with more
 * clones prefetched, and while building a template. The next start leaves nothing of it, and a JVM still running
 * keeps everything of its own.
 */
@ResourceLock(TargetServer.EXTERNAL_LOCK)
class KilledJvmTests {

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "external"})
    void theNextStartDropsWhatAKilledJvmLeasedAndPrefetchedAndKeepsWhatALiveOneHolds(String mode) throws Exception {
        TargetServer server = TargetServer.of(mode, dataDirectory).with(ConfigKeys.POOL_SIZE, "4");
        Inventory baseline = Inventory.of(server);
        try (ChildJvm doomed = ChildJvm.start(server, "lease", "classpath:db/library");
                ChildJvm survivor = ChildJvm.start(server, "lease", "classpath:db/library")) {
            List<String> leased = doomed.awaitLine("LEASED").subList(1, 3);
            survivor.awaitLine("LEASED");
            String owner = doomed.owner();
            String bystander = survivor.owner();
            Await.until(
                    "the doomed JVM to have 4 clones ready besides its 2 leases",
                    () -> Inventory.of(server).of(owner).stream()
                                    .filter(item -> item.startsWith("database "))
                                    .count()
                            == 6);
            assertThat(Inventory.of(server).databases()).containsAll(leased);

            doomed.kill();
            server.awaitOwnerGone(owner);
            String next;
            try (PostgresServer nextStart = server.start()) {
                next = nextStart.owner();
            }

            Inventory after = Inventory.of(server);
            after.since(baseline)
                    .assertBackToBaseline(owner, Set.of(bystander))
                    .assertBackToBaseline(next, Set.of(bystander));
            assertThat(after.of(bystander)).anyMatch(item -> item.startsWith("database "));

            assertThat(survivor.stop(Await.PATIENCE.toSeconds())).isTrue();
            Inventory end = Inventory.of(server);
            end.since(baseline).assertBackToBaseline(bystander, Set.of());
            if (server.embedded()) { // the survivor was the last JVM out: the server went with it
                end.since(baseline).assertUnchangedExcept("what persists between runs", Inventory::persists);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "external"})
    void aWaiterTakesOverTheTemplateBuildOfAKilledJvm(String mode) throws Exception {
        TargetServer server = TargetServer.of(mode, dataDirectory);
        Inventory baseline = Inventory.of(server);
        String run = Long.toHexString(System.nanoTime());
        String template = null;
        try (ChildJvm builder = ChildJvm.start(server, "build", "classpath:db/slow", run)) {
            String owner = builder.owner();
            Await.until(
                    "the child to start building",
                    () -> Inventory.of(server).of(owner).stream()
                            .anyMatch(item -> item.startsWith("database ipg_build_")));
            builder.kill();
            server.awaitOwnerGone(owner);

            String next;
            TemplateSpec spec = TemplateSpec.builder()
                    .flyway(List.of("classpath:db/slow"))
                    .flywayPlaceholders(java.util.Map.of("run", run))
                    .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                    .build();
            try (PostgresServer nextStart = server.start();
                    TestDatabasePool pool = TestDatabasePool.open(
                            nextStart, spec, server.configuration().poolSettings());
                    TestDatabase db = pool.lease()) {
                next = nextStart.owner();
                template = pool.templateName();
                assertThat(pool.statistics().templateReused()).isFalse();
                assertThat(pool.statistics().migrationsExecuted()).isEqualTo(2);
                assertThat(db.name()).startsWith("ipg_");
            }
            Inventory.of(server)
                    .since(baseline)
                    .assertBackToBaseline(owner, Set.of())
                    .assertBackToBaseline(next, Set.of());
            if (server.embedded()) {
                Inventory.of(server)
                        .since(baseline)
                        .assertUnchangedExcept("what persists between runs", Inventory::persists);
            }
        } finally {
            if (template != null) {
                server.dropOwnTemplates(List.of(template));
            }
        }
    }
}
