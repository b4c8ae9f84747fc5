package org.isolatedpg.core.internal.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads, against Maven Central with a small real jar (6.8 kB: the mechanics are those of a 15 MB binaries jar; one
 * whole binaries download is in {@link BinariesJarTests}), and against a repository server of the test's own for what
 * Central cannot show: credentials, redirects, proxies.
 */
class JarDownloadTests {

    static final String CENTRAL = "https://repo.maven.apache.org/maven2";
    static final PinnedJar APIGUARDIAN = new PinnedJar(
            "org.apiguardian",
            "apiguardian-api",
            "1.1.2",
            "b509448ac506d607319f182537f0b35d71007582ec741832a1f111e5b5b70b38");

    @TempDir
    Path directory;

    @Test
    void downloadsAPinnedJarFromMavenCentral() throws Exception {
        Path target = directory.resolve(APIGUARDIAN.fileName());

        JarDownload.from(CENTRAL).download(APIGUARDIAN, target);

        assertThat(target).hasSize(6806);
        assertThat(Sha256.of(target)).isEqualTo(APIGUARDIAN.sha256());
        assertThat(directory).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void refusesBytesOtherThanThePinnedOnesAndKeepsNothing() {
        PinnedJar wrongPin = new PinnedJar("org.apiguardian", "apiguardian-api", "1.1.2", "0".repeat(64));

        assertThatThrownBy(() -> JarDownload.from(CENTRAL).download(wrongPin, directory.resolve(wrongPin.fileName())))
                .isInstanceOf(IOException.class)
                .hasMessage(CENTRAL + "/org/apiguardian/apiguardian-api/1.1.2/apiguardian-api-1.1.2.jar has SHA-256 "
                        + APIGUARDIAN.sha256() + ", not the " + "0".repeat(64) + " pinned for"
                        + " org.apiguardian:apiguardian-api:1.1.2: the repository serves other bytes under these"
                        + " coordinates, and they were not kept");
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void failsNamingTheStatusAndTheUrlWhenTheRepositoryHasNoSuchJar() {
        PinnedJar missing = new PinnedJar("org.apiguardian", "apiguardian-api", "0.0.404", APIGUARDIAN.sha256());

        assertThatThrownBy(() -> JarDownload.from(CENTRAL).download(missing, directory.resolve(missing.fileName())))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("HTTP 404")
                .hasMessageEndingWith(
                        " from " + CENTRAL + "/org/apiguardian/apiguardian-api/0.0.404/apiguardian-api-0.0.404.jar");
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void sendsTheRepositorysCredentialsToItsHostAloneAndShowsThemNowhere() throws Exception {
        byte[] bytes = "the binaries".getBytes(StandardCharsets.UTF_8);
        PinnedJar jar = pinned(bytes);
        try (RepositoryServer files = RepositoryServer.start().serve("/files/x.jar", bytes);
                RepositoryServer mirror = RepositoryServer.start()
                        .requireCredentials("ci", "hunter2")
                        .redirect("/maven2/" + jar.path(), files.url("/files/x.jar"))) {
            String repository = mirror.url("/maven2").replace("http://", "http://ci:hunter2@");

            JarDownload.from(repository).download(jar, directory.resolve(jar.fileName()));

            assertThat(directory.resolve(jar.fileName())).hasBinaryContent(bytes);
            assertThat(mirror.requests())
                    .containsExactly(new RepositoryServer.Request(
                            "/maven2/" + jar.path(),
                            "Basic "
                                    + Base64.getEncoder()
                                            .encodeToString("ci:hunter2".getBytes(StandardCharsets.UTF_8))));
            assertThat(files.requests()).containsExactly(new RepositoryServer.Request("/files/x.jar", null));

            String wrongPassword = mirror.url("/maven2").replace("http://", "http://ci:hunter3@");
            assertThatThrownBy(() -> JarDownload.from(wrongPassword).download(jar, directory.resolve("other.jar")))
                    .isInstanceOf(IOException.class)
                    .hasMessage("HTTP 401 Unauthorized from " + mirror.url("/maven2/" + jar.path()));
            assertThat(JarDownload.from(wrongPassword).url(jar)).isEqualTo(mirror.url("/maven2/" + jar.path()));
        }
    }

    @Test
    void goesThroughTheProxyTheSelectorPicksForTheRepository() throws Exception {
        byte[] bytes = "the binaries".getBytes(StandardCharsets.UTF_8);
        PinnedJar jar = pinned(bytes);
        String repository = "http://repository.invalid/maven2";
        try (RepositoryServer proxy = RepositoryServer.start().serve("/maven2/" + jar.path(), bytes)) {
            ProxySelector proxies = ProxySelector.of(new InetSocketAddress("127.0.0.1", port(proxy)));

            new JarDownload(repository, proxies).download(jar, directory.resolve(jar.fileName()));

            assertThat(directory.resolve(jar.fileName())).hasBinaryContent(bytes);
            assertThat(proxy.requests())
                    .extracting(RepositoryServer.Request::target)
                    .containsExactly(repository + "/" + jar.path());
        }
    }

    static PinnedJar pinned(byte[] bytes) {
        return new PinnedJar(
                "org.example",
                "example",
                "1.0",
                HexFormat.of().formatHex(Sha256.digest().digest(bytes)));
    }

    private static int port(RepositoryServer server) {
        String url = server.url("");
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }
}
