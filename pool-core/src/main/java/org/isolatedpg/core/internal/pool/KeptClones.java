package org.isolatedpg.core.internal.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.isolatedpg.core.KeptDatabase;
import org.isolatedpg.core.Setting;
import org.isolatedpg.core.internal.server.ManualAccess;
import org.isolatedpg.core.internal.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clones an attachment keeps after their tests failed, for a person to look into: the newest, at most as many as
 * {@link org.isolatedpg.core.ConfigKeys#KEEP_FAILED} says, whichever of the attachment's pools they came from. Keeping
 * one more hands back the oldest, for the caller to drop. Each kept clone is named in a warning with a {@code psql}
 * command and its JDBC URL, connecting as the server's admin role (under restricted privileges the clone's own role
 * has a random password nobody knows).
 *
 * <p>A kept clone belongs to no pool any more: closing its pool leaves it, as does closing the attachment, and under
 * restricted privileges its role stays with it (the role owns it). It goes with its owner: once this attachment is
 * gone, the next one's janitor drops it, and its role, as it drops any dead owner's databases. Nothing is kept where
 * nobody could reach it ({@link Server#manualAccess()} is empty: a container, which goes with the run).
 *
 * <p>Thread-safe: the monitor guards the list; nothing blocking (no SQL, no logging) happens while it is held.
 */
public final class KeptClones {

    private static final Logger LOG = LoggerFactory.getLogger(KeptClones.class);

    /** A kept clone, and how to drop it (its pool's way: the clone, then its role). */
    record Kept(KeptDatabase database, Runnable drop) {}

    private final Server server;
    private final Setting<Integer> limit;
    private final Optional<ManualAccess> access;
    private final Deque<Kept> kept = new ArrayDeque<>(); // guarded by this; newest first

    public KeptClones(Server server, Setting<Integer> limit) {
        this.server = server;
        this.limit = limit;
        this.access = server.manualAccess();
    }

    /** Whether a failed test's clone is kept at all: some may be, and somebody can reach them. */
    public boolean enabled() {
        return limit.value() > 0 && access.isPresent();
    }

    /** The kept databases, newest first. */
    public synchronized List<KeptDatabase> list() {
        return kept.stream().map(Kept::database).toList();
    }

    /**
     * Keeps the clone {@code name} of {@code test}, and says so in a warning; returns the kept clones it pushes out,
     * oldest last, which the caller drops.
     */
    List<Kept> keep(String name, String test, Runnable drop, String logPrefix) {
        ManualAccess manual =
                access.orElseThrow(() -> new IllegalStateException("nothing is kept on " + server.description()));
        KeptDatabase database = new KeptDatabase(
                name,
                test,
                manual.psql(server, name),
                server.jdbcUrl(name),
                "user " + server.user() + ", " + manual.password(),
                manual.afterRun());
        List<Kept> pushedOut = new ArrayList<>();
        synchronized (this) {
            kept.addFirst(new Kept(database, drop));
            while (kept.size() > limit.value()) {
                pushedOut.add(kept.removeLast());
            }
        }
        LOG.warn(
                "{} - {} failed: its database {} is kept as the test left it, until the next run drops it (the newest"
                        + " {} are kept: {}). Connect as {}:\n  {}\n  {} ({}){}",
                logPrefix,
                test,
                name,
                limit.value(),
                limit,
                server.user(),
                database.psql(),
                database.jdbcUrl(),
                database.access(),
                database.afterRun().isEmpty() ? "" : "\n  " + database.afterRun());
        for (Kept old : pushedOut) {
            LOG.debug(
                    "{} - dropping {}, kept after {} failed: {} newer ones are kept",
                    logPrefix,
                    old.database().name(),
                    old.database().test(),
                    limit.value());
        }
        return pushedOut;
    }
}
