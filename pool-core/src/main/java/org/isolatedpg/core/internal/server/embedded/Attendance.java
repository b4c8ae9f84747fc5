package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;

/**
 * One JVM's presence at a cluster, told to the other JVMs through two files in the cluster directory:
 *
 * <ul>
 *   <li>{@code cluster.lock} is a mutex: a JVM holds its exclusive lock while it arrives or leaves, so starting,
 *       adopting and stopping the server never interleave.
 *   <li>{@code attached.lock} is the attendance: every attached JVM holds a shared lock on it. The operating system
 *       drops a dead JVM's lock (kill -9, IDE stop), so "nobody else is attached" is exactly "an exclusive lock on it
 *       can be had" — no pid file, no heartbeat, nothing a crash can leave stale.
 * </ul>
 *
 * <p>Invariants: the shared lock is taken and given up only under the mutex, so the exclusive probes (also under the
 * mutex) never wait for it and it never waits for them. A JVM holds at most one attendance per cluster (see {@link
 * AttachedClusters}): a JVM cannot hold two locks on one file, and closing any channel of a file drops all of the
 * process's locks on it.
 */
final class Attendance {

    /** What an arriving JVM does under the mutex; {@code alone} is true when no other JVM is attached. */
    @FunctionalInterface
    interface Arrival {
        void arrive(boolean alone) throws IOException, SQLException, InterruptedException;
    }

    /** What the last JVM to leave does under the mutex. */
    @FunctionalInterface
    interface LastDeparture {
        void depart() throws IOException, InterruptedException;
    }

    private final Path directory;
    private final Duration timeout;
    private final FileChannel channel;
    private final FileLock shared;

    private Attendance(Path directory, Duration timeout, FileChannel channel, FileLock shared) {
        this.directory = directory;
        this.timeout = timeout;
        this.channel = channel;
        this.shared = shared;
    }

    /**
     * Joins the attendance of the cluster in {@code directory} and runs {@code arrival}, both under the mutex, which
     * is waited for up to {@code timeout}. If {@code arrival} fails, the JVM leaves again and the failure is thrown.
     */
    static Attendance join(Path directory, Duration timeout, Arrival arrival)
            throws IOException, SQLException, InterruptedException {
        try (FileLock mutex = Mutex.lock(directory.resolve("cluster.lock"), timeout)) {
            FileChannel channel = FileChannel.open(
                    directory.resolve("attached.lock"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                boolean alone;
                try (FileLock probe = channel.tryLock(0, Long.MAX_VALUE, false)) {
                    alone = probe != null;
                }
                FileLock shared = channel.tryLock(0, Long.MAX_VALUE, true);
                if (shared == null) {
                    throw new IOException("A process outside the protocol locks " + directory.resolve("attached.lock")
                            + " exclusively without holding " + directory.resolve("cluster.lock"));
                }
                arrival.arrive(alone);
                return new Attendance(directory, timeout, channel, shared);
            } catch (IOException | SQLException | InterruptedException | RuntimeException e) {
                channel.close(); // releases the shared lock too
                throw e;
            }
        }
    }

    /** Leaves, under the mutex; if no other JVM is attached then, runs {@code lastDeparture} before letting go of it. */
    void leave(LastDeparture lastDeparture) throws IOException, InterruptedException {
        try (FileLock mutex = Mutex.lock(directory.resolve("cluster.lock"), timeout)) {
            shared.release();
            channel.close();
            try (FileChannel probe = FileChannel.open(
                            directory.resolve("attached.lock"), StandardOpenOption.READ, StandardOpenOption.WRITE);
                    FileLock alone = probe.tryLock()) {
                if (alone != null) {
                    lastDeparture.depart();
                }
            }
        }
    }
}
