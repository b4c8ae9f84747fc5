package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a cluster's data directory: {@code initdb} with a random superuser password (in {@code password}, 0600) and
 * settings for tests. {@code initialized} is written last, so a cluster whose creation was cut short is made again.
 */
final class Initdb {

    private static final Logger LOG = LoggerFactory.getLogger(Initdb.class);

    private Initdb() {}

    /** Creates the cluster in {@code directory} unless it is complete; returns its superuser password. */
    static String ensure(Path directory, Programs programs) throws IOException, InterruptedException {
        Path passwordFile = directory.resolve("password");
        if (!Files.exists(directory.resolve("initialized")) || !Files.exists(passwordFile)) {
            run(directory, programs);
        }
        return Files.readString(passwordFile, StandardCharsets.UTF_8);
    }

    private static void run(Path directory, Programs programs) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Path data = Cluster.data(directory);
        PrivateDirectories.deleteRecursively(data);
        Files.deleteIfExists(directory.resolve("initialized"));
        Path passwordFile = directory.resolve("password");
        Files.deleteIfExists(passwordFile);
        Files.createFile(
                passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        Files.writeString(passwordFile, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        programs.run(
                "initdb",
                List.of(
                        "-D",
                        data.toString(),
                        "-U",
                        Cluster.USER,
                        "--auth=scram-sha-256",
                        "--pwfile=" + passwordFile,
                        "--encoding=UTF-8",
                        "--locale=C",
                        "--no-sync",
                        // The password is random and 192 bits long: no number of hash iterations adds to that, but
                        // the default 4096 cost ~10 ms of CPU on every connection, and tests open many.
                        "-c",
                        "scram_iterations=1"));
        // Settings for tests: durability is worth nothing in a test cluster, speed is.
        Files.writeString(
                data.resolve("postgresql.conf"),
                String.join(
                        "\n",
                        "",
                        "# isolated-postgres",
                        "listen_addresses = '" + Cluster.HOST + "'",
                        "unix_socket_directories = ''",
                        "fsync = off",
                        "synchronous_commit = off",
                        "full_page_writes = off",
                        "max_connections = 300",
                        "lc_messages = 'C'",
                        ""),
                StandardOpenOption.APPEND);
        Files.createFile(directory.resolve("initialized"));
        LOG.debug("Initialised the embedded cluster {} in {} ms", data, (System.nanoTime() - started) / 1_000_000);
    }
}
