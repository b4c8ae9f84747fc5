package org.isolatedpg.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Row 18 of the fault matrix: names. The library builds every name it makes from hex digits and numbers only, short
 * enough never to be truncated; and its janitor takes a database for a dead JVM's only when the name has exactly our
 * form — never one that merely looks like it, with an owner id that is not 8 lower-case hex digits.
 */
@ResourceLock(TargetServer.EXTERNAL_LOCK)
class HostileNameTests {

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "external"})
    void namesAreMadeOfHexDigitsAndNumbersOnly(String mode) throws Exception {
        TargetServer server = TargetServer.of(mode, dataDirectory);
        Inventory baseline = Inventory.of(server);
        String owner;
        try (PostgresServer started = server.start();
                TestDatabasePool pool = TestDatabasePool.open(
                        started,
                        TemplateSpec.of("classpath:db/library"),
                        server.configuration().poolSettings());
                TestDatabase first = pool.lease();
                TestDatabase second = pool.lease()) {
            owner = started.owner();
            assertThat(owner).matches("[0-9a-f]{8}");
            assertThat(pool.templateName()).matches("ipg_tpl_[0-9a-f]{32}");
            assertThat(List.of(first.name(), second.name()))
                    .allMatch(name -> name.matches("ipg_[0-9a-f]{12}_" + owner + "_[0-9]+") && name.length() <= 63);
            assertThat(Inventory.of(server).of(owner))
                    .filteredOn(item -> item.startsWith("database "))
                    .hasSizeGreaterThanOrEqualTo(2);
        }
        Inventory.of(server).since(baseline).assertBackToBaseline(owner, Set.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "external"})
    void theJanitorNeverDropsADatabaseWhoseOwnerIdIsNotOfOurForm(String mode) throws Exception {
        TargetServer server = TargetServer.of(mode, dataDirectory);
        String fingerprint = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        List<String> lookalikes = List.of(
                "ipg_" + fingerprint + "_notanowner_1",
                "ipg_" + fingerprint + "_ZZZZZZZZ_1",
                "ipg_" + fingerprint + "_ABCDEF01_1",
                "ipg_" + fingerprint + "_0123abc_1",
                "ipg_build_" + fingerprint + "_notanowner_1");
        try (PostgresServer running = server.start()) {
            try {
                for (String name : lookalikes) {
                    server.execute("CREATE DATABASE \"" + name + "\"");
                }
                server.start().close(); // another attachment: its janitor sweeps

                List<String> left = lookalikes.stream()
                        .filter(name -> {
                            try {
                                return server.exists(name);
                            } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        })
                        .toList();
                assertThat(left).as("databases named like ours, but not by us").containsExactlyElementsOf(lookalikes);
            } finally {
                for (String name : lookalikes) {
                    server.execute("DROP DATABASE IF EXISTS \"" + name + "\"");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "external"})
    void aLookalikeNameDoesNotStopTheJanitorFromDroppingADeadOwnersClone(String mode) throws Exception {
        TargetServer server = TargetServer.of(mode, dataDirectory);
        String fingerprint = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        // Sorted by name, the lookalike comes first ('A' < 'f'); the dead owner holds no owner lock.
        String lookalike = "ipg_" + fingerprint + "_ABCDEF01_1";
        String deadOwner = "f"
                + HexFormat.of().formatHex(new SecureRandom().generateSeed(4)).substring(1);
        String orphan = "ipg_" + fingerprint + "_" + deadOwner + "_1";
        try (PostgresServer running = server.start()) {
            try {
                server.execute("CREATE DATABASE \"" + lookalike + "\"", "CREATE DATABASE \"" + orphan + "\"");
                server.start().close(); // another attachment: its janitor sweeps

                assertThat(server.exists(orphan))
                        .as("the dead owner's clone " + orphan)
                        .isFalse();
                assertThat(server.exists(lookalike))
                        .as("the lookalike " + lookalike)
                        .isTrue();
            } finally {
                server.execute(
                        "DROP DATABASE IF EXISTS \"" + lookalike + "\"", "DROP DATABASE IF EXISTS \"" + orphan + "\"");
            }
        }
    }
}
