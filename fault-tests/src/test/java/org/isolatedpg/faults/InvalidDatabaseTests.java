package org.isolatedpg.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
 * Row 17 of the fault matrix: an invalid database ({@code datconnlimit = -2}, what an interrupted DROP DATABASE
 * leaves), on which a connection or an ALTER is FATAL. A dead owner's invalid clone and an old invalid template are
 * dropped by the janitor without connecting to them; an invalid template still in use is rebuilt.
 */
@ResourceLock(TargetServer.EXTERNAL_LOCK)
class InvalidDatabaseTests {

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "external"})
    void theJanitorDropsADeadOwnersInvalidCloneWithoutConnecting(String mode) throws Exception {
        TargetServer server = TargetServer.of(mode, dataDirectory);
        String clone = "ipg_" + hex(6) + "_" + hex(4) + "_1"; // an owner that holds no owner lock: dead
        try (PostgresServer running = server.start()) {
            try {
                server.execute("CREATE DATABASE " + clone);
                server.makeInvalid(clone);
                long logBefore = serverLogLength(server);

                server.start().close(); // another attachment: its janitor sweeps

                assertThat(server.exists(clone)).as(clone).isFalse();
                assertThat(serverLogSince(server, logBefore)).doesNotContain("invalid database");
            } finally {
                server.execute("DROP DATABASE IF EXISTS " + clone);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "external"})
    void anInvalidTemplateIsRebuiltAndAnOldOneCollectedWithoutConnecting(String mode) throws Exception {
        TargetServer server = TargetServer.of(mode, dataDirectory);
        TemplateSpec spec = TemplateSpec.builder()
                .flyway(List.of("classpath:db/library"))
                .flywayPlaceholders(Map.of("run", hex(8)))
                .origin(ConfigKeys.FLYWAY_LOCATIONS, "test")
                .build();
        Inventory baseline = Inventory.of(server);
        String template = null;
        String owner;
        try (PostgresServer started = server.start()) {
            owner = started.owner();
            try {
                try (TestDatabasePool pool = TestDatabasePool.open(
                        started, spec, server.configuration().poolSettings())) {
                    template = pool.templateName();
                }
                server.makeInvalid(template);
                try (TestDatabasePool pool = TestDatabasePool.open(
                                started, spec, server.configuration().poolSettings());
                        TestDatabase db = pool.lease()) {
                    assertThat(pool.statistics().templateReused()).as("reused").isFalse();
                    assertThat(server.isValidDatabase(template)).isTrue();
                    assertThat(db.name()).startsWith("ipg_");
                }

                // Unused since long ago, and invalid: the janitor collects it.
                server.execute("COMMENT ON DATABASE " + template
                        + " IS 'isolated-postgres template, last used 2000-01-01T00:00:00Z'");
                server.makeInvalid(template);
                long logBefore = serverLogLength(server);
                server.start().close();
                assertThat(server.exists(template)).as(template).isFalse();
                assertThat(serverLogSince(server, logBefore)).doesNotContain("invalid database");
            } finally {
                if (template != null) {
                    server.dropOwnTemplates(List.of(template));
                }
            }
        }
        Inventory.of(server).since(baseline).assertBackToBaseline(owner, Set.of());
    }

    private static String hex(int bytes) {
        return HexFormat.of().formatHex(new SecureRandom().generateSeed(bytes));
    }

    /** The embedded server's log, where a FATAL on an invalid database would show; the external one's is not ours. */
    private static long serverLogLength(TargetServer server) throws Exception {
        return server.embedded() ? Files.size(server.clusterDirectory().resolve("postgres.log")) : 0;
    }

    private static String serverLogSince(TargetServer server, long offset) throws Exception {
        if (!server.embedded()) {
            return "";
        }
        String log = Files.readString(server.clusterDirectory().resolve("postgres.log"));
        return log.substring((int) Math.min(offset, log.length()));
    }
}
