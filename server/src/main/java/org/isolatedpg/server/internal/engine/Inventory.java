package org.isolatedpg.server.internal.engine;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.isolatedpg.core.ServerSettings;
import org.isolatedpg.core.internal.attachment.Attachment;
import org.isolatedpg.core.internal.server.embedded.EmbeddedServer;
import org.isolatedpg.core.internal.sql.Databases;
import org.isolatedpg.core.internal.sql.Janitor;
import org.isolatedpg.core.internal.sql.SqlStates;

/**
 * What isolated-postgres keeps on a server, for the command line: every database of ours with its kind, size, owner
 * and whether that owner is alive ({@code list}); what may go ({@code prune}); stopping the embedded server
 * ({@code stop}).
 */
public final class Inventory implements AutoCloseable {

    private static final Pattern TEMPLATE = Pattern.compile("ipg_tpl_[0-9a-f]{32}");

    /**
     * One database of ours.
     *
     * @param kind {@code template}, {@code clone} or {@code build} (a template being built)
     * @param owner the attachment that made it (clones and builds), or null
     * @param alive whether that owner still runs (null for templates)
     * @param lastUsed when a template was last used, or null
     * @param hash the IntegreSQL client's hash of a template built through the server, or null
     */
    public record Entry(
            String name, String kind, long sizeBytes, String owner, Boolean alive, Instant lastUsed, String hash) {}

    private final Attachment attachment;

    private Inventory(Attachment attachment) {
        this.attachment = attachment;
    }

    /** Reaches the server the settings name (starting the embedded one if it is not running), without its janitor. */
    public static Inventory open(ServerSettings settings) {
        return new Inventory(Attachment.inspect(settings));
    }

    /** {@code embedded PostgreSQL 18.6 on 127.0.0.1:54012}. */
    public String description() {
        return attachment.server().description();
    }

    /** Every database of ours, by name. */
    public List<Entry> list() {
        try {
            return entries(attachment.session().liveOwners());
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Could not list the databases on " + description() + ": " + SqlStates.describe(e), e);
        }
    }

    private List<Entry> entries(Set<String> live) throws SQLException {
        Databases databases = attachment.databases();
        Map<String, Long> sizes = databases.sizesOfOurs();
        Map<String, String> hashes = new HashMap<>();
        for (TemplateCatalog.Entry labelled : TemplateCatalog.read(attachment)) {
            hashes.put(labelled.database(), labelled.hash());
        }
        List<Entry> entries = new ArrayList<>();
        for (Databases.OurDatabase database : databases.listOurs()) {
            String name = database.name();
            Optional<String> owner = Janitor.ownerOf(name);
            String kind = TEMPLATE.matcher(name).matches()
                    ? "template"
                    : name.startsWith("ipg_build_") ? "build" : owner.isPresent() ? "clone" : "other";
            entries.add(new Entry(
                    name,
                    kind,
                    sizes.getOrDefault(name, 0L),
                    owner.orElse(null),
                    owner.map(live::contains).orElse(null),
                    database.lastUsed(),
                    hashes.get(name)));
        }
        return entries;
    }

    /**
     * What {@link #prune} would drop: clones and builds whose owner is gone (observed twice, {@link
     * Janitor#CONFIRMATION} apart, as the janitor does), and templates unused for longer than {@code olderThan}.
     */
    public List<Entry> prunable(Duration olderThan) {
        try {
            Set<String> live = attachment.session().liveOwners();
            TimeUnit.MILLISECONDS.sleep(Janitor.CONFIRMATION.toMillis());
            live.addAll(attachment.session().liveOwners()); // alive in either observation: alive
            Instant cutoff = attachment.databases().now().minus(olderThan);
            List<Entry> prunable = new ArrayList<>();
            for (Entry entry : entries(live)) {
                boolean deadOwner = entry.alive() != null && !entry.alive();
                boolean oldTemplate = entry.kind().equals("template")
                        && entry.lastUsed() != null
                        && entry.lastUsed().isBefore(cutoff);
                if (deadOwner || oldTemplate) {
                    prunable.add(entry);
                }
            }
            return prunable;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Could not list the databases on " + description() + ": " + SqlStates.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /**
     * Drops what {@link #prunable} found; a database someone is connected to, or a template a live JVM uses, is left.
     * Returns, for each entry, what was done.
     */
    public List<String> prune(List<Entry> prunable) {
        List<String> done = new ArrayList<>();
        Databases databases = attachment.databases();
        for (Entry entry : prunable) {
            try {
                if (entry.kind().equals("template")) {
                    String fingerprint = entry.name().substring("ipg_tpl_".length());
                    if (!attachment.session().claimUnused(fingerprint)) {
                        done.add("left " + entry.name() + ": a running JVM uses it");
                        continue;
                    }
                    try {
                        databases.dropTemplate(entry.name());
                    } finally {
                        attachment.session().releaseClaim(fingerprint);
                    }
                    done.add("dropped " + entry.name());
                } else if (databases.dropUnlessInUse(entry.name())) {
                    if (databases.cloneRoles().ours().contains(entry.name())) {
                        databases.cloneRoles().drop(entry.name());
                    }
                    done.add("dropped " + entry.name());
                } else {
                    done.add("left " + entry.name() + ": someone is connected to it");
                }
            } catch (SQLException e) {
                done.add("could not drop " + entry.name() + ": " + SqlStates.describe(e));
            }
        }
        return done;
    }

    /** Stops the embedded server the settings name; see {@link EmbeddedServer#stop}. */
    public static String stopEmbedded(ServerSettings settings, boolean force) {
        return EmbeddedServer.stop(settings, force);
    }

    @Override
    public void close() {
        attachment.close();
    }
}
