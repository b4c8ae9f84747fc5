package org.isolatedpg.faults;

import static org.assertj.core.api.Assertions.assertThat;

import db.counted.V2__CountedAndSlow;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Row 3 of the fault matrix: two attachments (each with its own owner session, as two JVMs have) open a pool on one
 * fingerprint at once, released by a barrier. The migrations run exactly once; the other waits and reuses the
 * template. With {@code CREATE INDEX CONCURRENTLY} in the migrations the waiter must not deadlock it (40P01): it waits
 * in the {@code postgres} database, never in the template's.
 */
@ResourceLock(TargetServer.EXTERNAL_LOCK)
class ConcurrentBuildTests {

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @CsvSource({"embedded, db/counted", "external, db/counted", "embedded, db/concurrent", "external, db/concurrent"})
    void twoAttachmentsBuildOneTemplateOnce(String mode, String migrations) throws Exception {
        TargetServer server = TargetServer.of(mode, dataDirectory);
        TemplateSpec spec = TemplateSpec.builder()
                .flyway(List.of("classpath:" + migrations))
                .flywayPlaceholders(Map.of("run", HexFormat.of().formatHex(new SecureRandom().generateSeed(8))))
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                .build();
        Inventory baseline = Inventory.of(server);
        int runsBefore = V2__CountedAndSlow.RUNS.get();
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<String> owners = new ArrayList<>();
        String template = null;
        try (PostgresServer first = server.start();
                PostgresServer second = server.start()) {
            owners.addAll(List.of(first.owner(), second.owner()));
            List<Future<TestDatabasePool>> opening = new ArrayList<>();
            for (PostgresServer attachment : List.of(first, second)) {
                opening.add(threads.submit(() -> {
                    barrier.await(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    return TestDatabasePool.open(
                            attachment, spec, server.configuration().poolSettings());
                }));
            }
            List<TestDatabasePool> pools = new ArrayList<>();
            try {
                for (Future<TestDatabasePool> pool : opening) {
                    pools.add(pool.get(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS));
                }
                template = pools.get(0).templateName();
                assertThat(pools)
                        .extracting(pool -> pool.statistics().templateReused())
                        .containsExactlyInAnyOrder(false, true);
                assertThat(pools.get(1).templateName()).isEqualTo(template);
                if (migrations.equals("db/counted")) {
                    assertThat(V2__CountedAndSlow.RUNS.get() - runsBefore)
                            .as("migration runs")
                            .isEqualTo(1);
                }
                for (TestDatabasePool pool : pools) {
                    try (TestDatabase db = pool.lease()) {
                        assertThat(db.name()).startsWith("ipg_");
                    }
                }
                assertThat(Inventory.of(server).databases()).noneMatch(name -> name.startsWith("ipg_build_"));
            } finally {
                pools.forEach(TestDatabasePool::close);
            }
        } finally {
            threads.shutdownNow();
            if (template != null) {
                server.dropOwnTemplates(List.of(template));
            }
        }
        Inventory.of(server)
                .since(baseline)
                .assertBackToBaseline(owners.get(0), Set.of())
                .assertBackToBaseline(owners.get(1), Set.of());
    }
}
