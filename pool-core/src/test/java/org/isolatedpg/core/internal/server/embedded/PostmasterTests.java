package org.isolatedpg.core.internal.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server's own process, in a cluster of each test's own: stale pid files, failed starts. */
class PostmasterTests {

    @TempDir
    Path dataDirectory;

    private Process unrelated;

    @AfterEach
    void stopUnrelatedProcess() throws InterruptedException {
        if (unrelated != null) {
            unrelated.destroyForcibly();
            unrelated.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void startsAServerWhereAStalePidFileNamesALiveUnrelatedProcessAndNeverSignalsIt() throws Exception {
        Path cluster = stoppedCluster();
        ProcessHandle recycled = unrelatedProcess();
        writePidFile(cluster, recycled);
        Files.writeString(cluster.resolve("server.properties"), "port=1\nnonce=0123456789abcdef\n");

        try (EmbeddedServer server = EmbeddedServer.start(settings())) {
            assertThat(server.pid()).isNotEqualTo(recycled.pid());
            assertThat(ProcessHandle.of(server.pid())).hasValueSatisfying(this::isAlive);
        }
        assertThat(unrelated.isAlive()).as("the unrelated process is alive").isTrue();
    }

    @Test
    void theLastToCloseDoesNotSignalAnUnrelatedProcessThatTookTheDeadPostmastersPid() throws Exception {
        EmbeddedServer server = EmbeddedServer.start(settings());
        Path cluster = server.clusterDirectory();
        ProcessHandle postmaster = ProcessHandle.of(server.pid()).orElseThrow();
        postmaster.destroyForcibly();
        postmaster.onExit().get(30, TimeUnit.SECONDS);
        writePidFile(cluster, unrelatedProcess());

        server.close();

        assertThat(unrelated.isAlive()).as("the unrelated process is alive").isTrue();
        assertThat(cluster.resolve("server.properties")).doesNotExist();
    }

    @Test
    void stopsTheServerItStartedWhenThatServerFailsItsIdentityCheck() throws Exception {
        Path cluster = stoppedCluster();
        Files.writeString(cluster.resolve("password"), "not-the-password-initdb-set");

        assertThatThrownBy(() -> EmbeddedServer.start(settings()))
                .isInstanceOf(IsolatedPostgresException.class)
                .hasMessageContaining("Could not start the embedded PostgreSQL server in ")
                .hasMessageContaining("password authentication failed for user \"postgres\"");

        assertThat(PostmasterPid.livePostmaster(cluster.resolve("data"))).isEmpty();
        assertThat(cluster.resolve("data/postmaster.pid")).doesNotExist();
        assertThat(cluster.resolve("server.properties")).doesNotExist();
    }

    @Test
    void vouchesForTheRunningPostmasterOfItsDataDirectoryOnly() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start(settings())) {
            Path data = server.clusterDirectory().resolve("data");
            assertThat(PostmasterPid.livePostmaster(data))
                    .map(ProcessHandle::pid)
                    .hasValue(server.pid());

            List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
            long started = Long.parseLong(lines.get(2));
            lines.set(2, Long.toString(started - Duration.ofHours(1).toSeconds()));
            Files.write(data.resolve("postmaster.pid"), lines);
            assertThat(PostmasterPid.livePostmaster(data))
                    .as("a postgres process that started an hour after its pid file says")
                    .isEmpty();
            lines.set(2, Long.toString(started));
            Files.write(data.resolve("postmaster.pid"), lines);
        }
    }

    private ServerSettings settings() {
        return Configuration.from(List.of(
                        ConfigSource.of("test", Map.of(ConfigKeys.EMBEDDED_DATA_DIRECTORY, dataDirectory.toString()))))
                .serverSettings();
    }

    /** A cluster made and then stopped again; its directory. */
    private Path stoppedCluster() {
        try (EmbeddedServer server = EmbeddedServer.start(settings())) {
            return server.clusterDirectory();
        }
    }

    private ProcessHandle unrelatedProcess() throws IOException {
        unrelated = new ProcessBuilder("sleep", "600").start();
        return unrelated.toHandle();
    }

    /** A pid file as a postmaster that died would have left it, its pid since taken by {@code process}. */
    private static void writePidFile(Path cluster, ProcessHandle process) throws IOException {
        long started = process.info().startInstant().orElseThrow().getEpochSecond();
        Path data = cluster.resolve("data");
        Files.writeString(
                data.resolve("postmaster.pid"),
                String.join(
                        "\n",
                        Long.toString(process.pid()),
                        data.toString(),
                        Long.toString(started),
                        "1",
                        "",
                        "127.0.0.1",
                        "  1234567     65536",
                        "ready   ",
                        ""));
    }

    private void isAlive(ProcessHandle process) {
        assertThat(process.isAlive()).as("process %d is alive", process.pid()).isTrue();
    }
}
