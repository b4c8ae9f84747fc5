package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the servers of dead JVMs. A server directory whose {@code owner.lock} can be locked has no living owner:
 * the operating system releases a file lock when its process dies, however it dies. Its postmaster, if it still
 * runs, is stopped — but only a process whose command line names that very data directory, so a recycled process
 * id is never signalled.
 */
final class OrphanSweeper {

    static final String LOCK_FILE = "owner.lock";
    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweeper.class);

    private OrphanSweeper() {}

    static void sweep(Path base) throws IOException {
        try (DirectoryStream<Path> servers = Files.newDirectoryStream(base, "server-*")) {
            for (Path server : servers) {
                sweepIfOrphaned(server);
            }
        }
    }

    private static void sweepIfOrphaned(Path server) {
        Path lockFile = server.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return; // being created right now (the lock file comes first), or not ours
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            if (lock == null) {
                return; // its owner is alive
            }
            Path data = server.resolve("data");
            postmaster(data).ifPresent(OrphanSweeper::stop);
            PrivateDirectories.deleteRecursively(server);
            LOG.info("Removed the embedded server {} left behind by a JVM that did not stop it", server);
        } catch (OverlappingFileLockException e) {
            // locked by this very JVM: alive
        } catch (IOException e) {
            LOG.warn("Could not remove the orphaned embedded server {}", server, e);
        }
    }

    private static Optional<ProcessHandle> postmaster(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return Optional.empty();
        }
        String dataPath = data.toString();
        return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                .filter(process -> process.info().commandLine().orElse("").contains(dataPath)
                        || process.info()
                                .arguments()
                                .map(List::of)
                                .orElse(List.of())
                                .contains(dataPath));
    }

    private static void stop(ProcessHandle postmaster) {
        postmaster.destroy(); // SIGTERM; its sessions are gone with their JVM
        try {
            postmaster.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            postmaster.destroyForcibly();
        } catch (ExecutionException | TimeoutException e) {
            postmaster.destroyForcibly();
        }
    }
}
