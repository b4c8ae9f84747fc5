package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * An exclusive lock on a file, across processes, waited for with a timeout. Java's {@code FileChannel.lock()} can
 * only wait forever, so this retries {@code tryLock()} with a short pause: the lock is held for the few seconds of a
 * server start or stop, never longer. Closing the returned lock closes its file.
 */
final class Mutex {

    private static final long PAUSE_MILLIS = 20;

    private Mutex() {}

    static FileLock lock(Path file, Duration timeout) throws IOException, InterruptedException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                FileLock lock = tryLock(channel);
                if (lock != null) {
                    return new ClosingLock(channel, lock);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("Another process held " + file + " for longer than " + timeout);
                }
                Thread.sleep(PAUSE_MILLIS);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // another thread of this JVM has it; it lets go soon
        }
    }

    /** A lock whose close also closes its channel. */
    private static final class ClosingLock extends FileLock {

        private final FileLock lock;

        ClosingLock(FileChannel channel, FileLock lock) {
            super(channel, lock.position(), lock.size(), lock.isShared());
            this.lock = lock;
        }

        @Override
        public boolean isValid() {
            return lock.isValid();
        }

        @Override
        public void release() throws IOException {
            try {
                lock.release();
            } finally {
                channel().close();
            }
        }
    }
}
