package org.isolatedpg.core.internal.sql;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after JVMs that died (kill -9, an IDE stop, a crashed fork) and collects templates nobody used for a
 * while. Runs in the background when an attachment starts.
 *
 * <p>A clone or half-built template is named {@code ipg_<fp12>_<owner>_<n>} or {@code ipg_build_<fp12>_<owner>_<n>},
 * the owner being exactly 8 lower-case hex digits; any other name is not ours and never touched. Under restricted
 * privileges each clone has a role of the same name, which is collected with it.
 *
 * <p><b>When is an owner dead?</b> An owner holds its owner lock for its whole life, but a crash or restart of the
 * server ends every session and lock at once, and a live owner takes its lock again only when it next reaches the
 * server (its keeper tries every {@link OwnerSession#KEEP_ALIVE_INTERVAL}). "Holds no owner lock" alone therefore
 * cannot mean "dead". An owner is judged dead only when it holds no lock and has no admin session in two
 * observations {@link #CONFIRMATION} apart, the second taken at least {@link #RESTART_GRACE} after the server's
 * current incarnation began (its checkpointer's start: a crash restarts every server process) and in the same
 * incarnation as the first. A live owner whose lock a restart or a terminated session took re-takes it well within
 * both bounds. On a server this JVM has just started itself, nobody can be alive from before, and the grace is
 * skipped: by every attachment of this JVM, as long as the server runs in the incarnation it started (a later
 * attachment's janitor, in a build that attaches more than once, would otherwise wait out the grace for nothing).
 *
 * <p>The suspects are found from databases and sessions listed <em>before</em> the first observation of the owners,
 * and an owner locks before it creates anything, so a live owner's database always shows its owner alive. Once the
 * dead are confirmed, their admin sessions are terminated (a CREATE DATABASE outlives its client until it ends), and
 * the databases are listed again, so that none a dead owner's last statement added is missed. Each database is
 * dropped on its own: one failure is logged and the sweep goes on.
 */
public final class Janitor {

    private static final Logger LOG = LoggerFactory.getLogger(Janitor.class);

    /** How long after a server (re)start an owner may need to take its lock again. */
    static final Duration RESTART_GRACE = Duration.ofSeconds(10);
    /** The gap between the two observations of the owners: several keeper intervals. */
    public static final Duration CONFIRMATION = OwnerSession.KEEP_ALIVE_INTERVAL.multipliedBy(3);

    private static final Pattern OWNED = Pattern.compile("ipg_(?:build_)?[0-9a-f]{12}_([0-9a-f]{8})_[0-9]{1,18}");
    private static final Pattern OWNER = Pattern.compile("[0-9a-f]{8}");
    private static final Pattern TEMPLATE = Pattern.compile("ipg_tpl_([0-9a-f]{32})");

    /** The incarnations ({@code server@incarnation}) of servers this JVM started itself. */
    private static final Set<String> OWN_INCARNATIONS = ConcurrentHashMap.newKeySet();

    private final Databases databases;
    private final OwnerSession session;
    private final String adminApplication;
    private final Duration retention;
    private final String server;
    private final boolean freshServer;

    /**
     * @param templateRetention how long an unused template is kept
     * @param freshServer whether this JVM has just started the server itself: then nobody can be alive from before
     */
    public record Settings(Duration templateRetention, boolean freshServer) {}

    public Janitor(
            Databases databases, OwnerSession session, String adminApplication, Settings settings, String server) {
        this.databases = databases;
        this.session = session;
        this.adminApplication = adminApplication;
        this.retention = settings.templateRetention();
        this.freshServer = settings.freshServer();
        this.server = server;
    }

    /** One sweep; failures are logged, never thrown: cleaning up is worth a warning, not a failed run. */
    public void sweep() throws InterruptedException {
        try {
            List<Databases.OurDatabase> ours = databases.listOurs();
            List<String> roles = databases.cloneRoles().ours();
            Map<Integer, String> sessions = databases.sessionsOf(adminApplication);
            Observation first = observe();
            Set<String> suspects = new HashSet<>();
            for (Databases.OurDatabase database : ours) {
                ownerOf(database.name()).ifPresent(suspects::add);
            }
            for (String role : roles) {
                ownerOf(role).ifPresent(suspects::add);
            }
            sessions.values().stream()
                    .map(name -> name.substring(adminApplication.length()))
                    .filter(owner -> OWNER.matcher(owner).matches())
                    .forEach(suspects::add);
            suspects.removeAll(first.live());
            boolean collectable = ours.stream().anyMatch(database -> expired(database, first.at()));
            if (suspects.isEmpty() && !collectable) {
                collectRetiredRoles();
                return;
            }
            Observation second = confirm(first);
            if (!second.incarnation().equals(first.incarnation())) {
                LOG.debug("isolatedpg - {} restarted during the sweep; leaving the clean-up to the next start", server);
                return;
            }
            suspects.removeAll(second.live());
            // A dead owner's CREATE DATABASE may still be running server-side: stop it before it adds a database.
            databases.sessionsOf(adminApplication).forEach((pid, name) -> {
                if (suspects.contains(name.substring(adminApplication.length()))) {
                    terminate(pid, name);
                }
            });
            // Listed again: a dead owner's statement still running at the first listing may have added a database.
            List<Databases.OurDatabase> now = databases.listOurs();
            int orphans = dropOrphans(now, suspects);
            int orphanRoles = dropOrphanRoles(suspects);
            int collected = collectTemplates(now, second.at());
            collectRetiredRoles();
            if (orphans + orphanRoles + collected > 0) {
                LOG.info(
                        "isolatedpg - on {}: dropped {} databases and {} roles of JVMs that died and {} templates"
                                + " unused for over {}",
                        server,
                        orphans,
                        orphanRoles,
                        collected,
                        retention);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("isolatedpg - could not clean up after earlier runs on {}", server, e);
        }
    }

    /** Roles handed over to newer templates, once nothing uses them. */
    private void collectRetiredRoles() {
        try {
            databases.roles().collectRetired();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("isolatedpg - could not collect retired roles on {}", server, e);
        }
    }

    private record Observation(Set<String> live, Instant at, Instant incarnation) {}

    private Observation observe() throws SQLException {
        Databases.ServerClock clock = databases.clock();
        Observation observation = new Observation(session.liveOwners(), clock.now(), clock.incarnation());
        if (freshServer) {
            OWN_INCARNATIONS.add(server + "@" + observation.incarnation());
        }
        return observation;
    }

    /** The second observation: {@link #CONFIRMATION} after the first, and past the restart grace. */
    private Observation confirm(Observation first) throws SQLException, InterruptedException {
        Instant due = first.at().plus(CONFIRMATION);
        boolean startedHere = OWN_INCARNATIONS.contains(server + "@" + first.incarnation());
        if (!startedHere && first.incarnation().plus(RESTART_GRACE).isAfter(due)) {
            due = first.incarnation().plus(RESTART_GRACE);
        }
        long waitMillis = Duration.between(first.at(), due).toMillis();
        if (waitMillis > 0) {
            TimeUnit.MILLISECONDS.sleep(waitMillis); // the observations must be apart in time: nothing to wait on
        }
        return observe();
    }

    private void terminate(int pid, String application) {
        try {
            databases.terminate(pid);
        } catch (SQLException e) {
            LOG.warn("isolatedpg - could not end session {} ({}) of a JVM that died", pid, application, e);
        }
    }

    private int dropOrphans(List<Databases.OurDatabase> ours, Set<String> dead) {
        int dropped = 0;
        for (Databases.OurDatabase database : ours) {
            Optional<String> owner = ownerOf(database.name());
            if (owner.isEmpty() || !dead.contains(owner.get())) {
                continue;
            }
            try {
                if (databases.dropUnlessInUse(database.name())) {
                    dropped++;
                } else {
                    LOG.warn(
                            "isolatedpg - {} belongs to owner {}, which is gone, but is in use; left alone",
                            database.name(),
                            owner.get());
                }
            } catch (SQLException e) {
                LOG.warn("isolatedpg - could not drop {}, left by owner {}", database.name(), owner.get(), e);
            }
        }
        return dropped;
    }

    /**
     * Drops the clones' roles of dead owners, after their databases (a role cannot be dropped while it owns one: a
     * database left alone because it was in use keeps its role, 2BP01, until a later sweep). A live owner's role is
     * never touched, even when its database is missing: the owner creates the role before the database, and drops it
     * after, so a role without its database is one in the making or on its way out.
     */
    private int dropOrphanRoles(Set<String> dead) throws SQLException {
        int dropped = 0;
        for (String role : databases.cloneRoles().ours()) {
            Optional<String> owner = ownerOf(role);
            if (owner.isEmpty() || !dead.contains(owner.get())) {
                continue;
            }
            try {
                databases.cloneRoles().drop(role);
                dropped++;
            } catch (SQLException e) {
                LOG.debug("isolatedpg - could not drop the role {}, left by owner {}", role, owner.get(), e);
            }
        }
        return dropped;
    }

    private int collectTemplates(List<Databases.OurDatabase> ours, Instant now) {
        int collected = 0;
        for (Databases.OurDatabase database : ours) {
            if (!expired(database, now)) {
                continue;
            }
            try {
                collected += collect(database.name()) ? 1 : 0;
            } catch (SQLException e) {
                LOG.warn("isolatedpg - could not collect the old template {}", database.name(), e);
            }
        }
        return collected;
    }

    /**
     * A template past its retention. With no record of use, its builder died before recording one (a pool marks a
     * template in use before it builds it, so one being built cannot be claimed); with a comment that is not ours, it
     * is left alone.
     */
    private boolean expired(Databases.OurDatabase database, Instant now) {
        if (!TEMPLATE.matcher(database.name()).matches() || !database.lastUsedKnown()) {
            return false;
        }
        return database.lastUsed() == null
                || database.lastUsed().plus(retention).isBefore(now);
    }

    private boolean collect(String template) throws SQLException {
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

    /** The owner in a clone's or build's name; empty for templates and for names that are not ours. */
    public static Optional<String> ownerOf(String name) {
        Matcher matcher = OWNED.matcher(name);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
