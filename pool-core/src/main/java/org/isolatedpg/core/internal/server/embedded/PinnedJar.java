package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A jar in a Maven repository, by its coordinates, with the SHA-256 its bytes must have: a jar taken from anywhere but
 * the classpath (a local repository, a download) is used only when it has exactly these bytes.
 *
 * @param sha256 64 lower-case hex digits
 */
record PinnedJar(String group, String artifact, String version, String sha256) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    PinnedJar {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("Not a SHA-256 in lower-case hex for " + artifact + ": " + sha256);
        }
    }

    /** {@code group:artifact:version}, as a user writes the dependency. */
    String coordinates() {
        return group + ":" + artifact + ":" + version;
    }

    String fileName() {
        return artifact + "-" + version + ".jar";
    }

    /** The jar's path in a Maven repository, {@code io/zonky/test/postgres/<artifact>/<version>/<file>}. */
    String path() {
        return group.replace('.', '/') + "/" + artifact + "/" + version + "/" + fileName();
    }

    /** Whether the file has the pinned bytes. */
    boolean matches(Path file) throws IOException {
        return Sha256.of(file).equals(sha256);
    }

    @Override
    public String toString() {
        return coordinates();
    }
}
