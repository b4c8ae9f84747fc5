package org.isolatedpg.core.internal.sql;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after JVMs that died (kill -9, an IDE stop, a crashed fork) and collects templates nobody used for a
 * while. Runs when an attachment starts.
 *
 * <p>A clone or half-built template is named {@code ipg_<fingerprint>_<owner>_<n>} or
 * {@code ipg_build_<fingerprint>_<owner>_<n>}; it is dropped when its owner holds no owner lock. The databases are
 * listed <em>before</em> the live owners, and an owner locks before it creates anything, so a database created after
 * the listing is never judged, and a listed one of a live owner always shows its owner alive. Before that, the admin
 * sessions of dead owners are terminated, since a CREATE DATABASE outlives its client until it ends; here too the
 * sessions are listed before the owners, and an owner locks before it opens any.
 */
public final class Janitor {

    private static final Logger LOG = LoggerFactory.getLogger(Janitor.class);

    private Janitor() {}

    public static void sweep(
            Databases databases, OwnerSession session, String adminApplication, Duration retention, String server)
            throws SQLException {
        // A dead JVM's CREATE DATABASE may still be running server-side: stop it before it adds a database.
        Map<Integer, String> sessions = databases.sessionsOf(adminApplication);
        Set<String> alive = session.liveOwners();
        for (Map.Entry<Integer, String> entry : sessions.entrySet()) {
            if (!alive.contains(entry.getValue().substring(adminApplication.length()))) {
                databases.terminate(entry.getKey());
            }
        }
        List<Databases.OurDatabase> ours = databases.listOurs();
        Set<String> live = session.liveOwners();
        int orphans = 0;
        int collected = 0;
        for (Databases.OurDatabase database : ours) {
            String owner = ownerOf(database.name());
            if (owner != null && !live.contains(owner)) {
                if (databases.dropUnlessInUse(database.name())) {
                    orphans++;
                } else {
                    LOG.warn(
                            "isolatedpg - {} belongs to owner {}, which holds no owner lock, but is in use; left"
                                    + " alone",
                            database.name(),
                            owner);
                }
            }
        }
        Instant now = databases.now();
        for (Databases.OurDatabase database : ours) {
            // No record of use: its builder died before recording one (a pool marks a template in use before it
            // builds it, so one being built cannot be claimed below).
            if (database.name().startsWith("ipg_tpl_")
                    && (database.lastUsed() == null
                            || database.lastUsed().plus(retention).isBefore(now))) {
                collected += collect(databases, session, database.name()) ? 1 : 0;
            }
        }
        databases.roles().collectRetired(); // roles handed over to newer templates, once nothing uses them
        if (orphans + collected > 0) {
            LOG.info(
                    "isolatedpg - on {}: dropped {} databases of JVMs that died and {} templates unused for over {}",
                    server,
                    orphans,
                    collected,
                    retention);
        }
    }

    private static boolean collect(Databases databases, OwnerSession session, String template) throws SQLException {
        String fingerprint = template.substring("ipg_tpl_".length());
        if (!session.claimUnused(fingerprint)) {
            return false; // in use by a live JVM
        }
        try {
            databases.dropTemplate(template);
            return true;
        } finally {
            session.releaseClaim(fingerprint);
        }
    }

    /** The owner in a clone's or build's name; null for templates and for names that are not ours. */
    static String ownerOf(String name) {
        String[] parts = name.split("_");
        if (parts.length == 4 && parts[0].equals("ipg") && parts[1].length() == 12) {
            return parts[2];
        }
        if (parts.length == 5 && parts[0].equals("ipg") && parts[1].equals("build")) {
            return parts[3];
        }
        return null;
    }
}
