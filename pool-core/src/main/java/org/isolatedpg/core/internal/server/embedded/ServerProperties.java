package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code server.properties} in the cluster directory: the port, identity nonce and settings of the server that runs
 * there, for the JVMs that attach to it later. It exists exactly while a server we started runs (written once it is ready,
 * removed when it is stopped), and is read and written only under the attendance mutex.
 *
 * @param nonce the random part of the server's {@code cluster_name}, which proves that a server answering on the port
 *     is this cluster's
 * @param settings the {@code isolatedpg.embedded.settings} the server was started with
 */
record ServerProperties(int port, String nonce, PostmasterSettings settings) {

    private static final String FILE = "server.properties";

    static Optional<ServerProperties> read(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return Optional.of(new ServerProperties(
                Integer.parseInt(properties.getProperty("port")),
                properties.getProperty("nonce"),
                PostmasterSettings.load(properties)));
    }

    void write(Path directory) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("port", Integer.toString(port));
        properties.setProperty("nonce", nonce);
        settings.store(properties);
        try (OutputStream out = Files.newOutputStream(directory.resolve(FILE))) {
            properties.store(out, "isolated-postgres: the running embedded server");
        }
    }

    static void delete(Path directory) throws IOException {
        Files.deleteIfExists(directory.resolve(FILE));
    }
}
