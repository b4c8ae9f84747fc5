package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The clusters this JVM is attached to, by directory, each with its number of attachments: the one JVM-wide registry.
 * Every attachment of this JVM to one cluster shares one {@link Cluster} and so one {@link Attendance}, since a JVM
 * cannot hold two locks on one file. A shutdown hook per cluster gives up what is still attached when the JVM exits.
 *
 * <p>Invariants, all under the monitor of {@link #ATTACHED}: a directory is in the map exactly while this JVM is
 * attached to its cluster, with a positive count and its shutdown hook registered. Opening and closing a cluster also
 * happen under that monitor, so that no other attach or detach of this JVM runs meanwhile: closing any channel of a
 * file drops all of the process's locks on it. Every wait inside is bounded (see {@link Cluster}), so the monitor is
 * held for a bounded time.
 */
final class AttachedClusters {

    /** Opens a cluster for its first attachment. */
    @FunctionalInterface
    interface Opener {
        Cluster open(Path directory) throws IOException, SQLException, InterruptedException;
    }

    private static final Map<Path, Attachment> ATTACHED = new HashMap<>();

    private AttachedClusters() {}

    /**
     * Attaches to the cluster in {@code directory}, opening it with {@code opener} unless this JVM already has; then
     * {@code alreadyOpen} sees the open cluster instead.
     */
    static Cluster attach(Path directory, Opener opener, Consumer<Cluster> alreadyOpen)
            throws IOException, SQLException, InterruptedException {
        Path key = directory.toAbsolutePath().normalize();
        synchronized (ATTACHED) {
            Attachment attachment = ATTACHED.get(key);
            if (attachment == null) {
                Cluster cluster = opener.open(key);
                attachment = new Attachment(
                        cluster, new Thread(() -> detachAll(key), "isolatedpg-embedded-shutdown-" + key.getFileName()));
                ATTACHED.put(key, attachment);
                Runtime.getRuntime().addShutdownHook(attachment.shutdownHook);
            } else {
                alreadyOpen.accept(attachment.cluster);
            }
            attachment.references++;
            return attachment.cluster;
        }
    }

    /** Gives up one attachment; the last one closes the cluster. Never throws. */
    static void detach(Cluster cluster) {
        synchronized (ATTACHED) {
            Attachment attachment = ATTACHED.get(cluster.directory());
            if (attachment == null || attachment.cluster != cluster || --attachment.references > 0) {
                return;
            }
            ATTACHED.remove(cluster.directory());
            try {
                Runtime.getRuntime().removeShutdownHook(attachment.shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook itself is running
            }
            cluster.close();
        }
    }

    private static void detachAll(Path directory) {
        synchronized (ATTACHED) {
            Attachment attachment = ATTACHED.remove(directory);
            if (attachment != null) {
                attachment.cluster.close();
            }
        }
    }

    private static final class Attachment {
        final Cluster cluster;
        final Thread shutdownHook;
        int references; // guarded by ATTACHED

        Attachment(Cluster cluster, Thread shutdownHook) {
            this.cluster = cluster;
            this.shutdownHook = shutdownHook;
        }
    }
}
