package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * The binaries jars this version of isolated-postgres may fetch itself, from {@code binaries.properties}: zonky's
 * version, and the SHA-256 of each platform's jar in it. A platform zonky builds nothing for in that version has no pin.
 */
final class PinnedBinaries {

    static final String GROUP = "io.zonky.test.postgres";

    private static final String RESOURCE = "binaries.properties";
    private static final Properties PINS = load();

    private PinnedBinaries() {}

    /** zonky's version whose jars are pinned, {@code 18.6.0}. */
    static String version() {
        return PINS.getProperty("version");
    }

    /** The pinned jar for the platform, if zonky builds one in {@link #version()}. */
    static Optional<PinnedJar> of(Platform platform) {
        return Optional.ofNullable(PINS.getProperty(platform.artifact()))
                .map(sha256 -> new PinnedJar(GROUP, platform.artifact(), version(), sha256));
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = PinnedBinaries.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from isolated-postgres-core's jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE + " from isolated-postgres-core's jar", e);
        }
        return properties;
    }
}
