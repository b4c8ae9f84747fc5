package org.isolatedpg.core.internal.pool;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.PoolStatistics;
import org.isolatedpg.core.PoolTimeoutException;
import org.isolatedpg.core.Privileges;
import org.isolatedpg.core.ReleaseReport;
import org.isolatedpg.core.TemplateBuildException;
import org.isolatedpg.core.internal.attachment.Attachment;
import org.isolatedpg.core.internal.hikari.ConnectionPools;
import org.isolatedpg.core.internal.sql.CloneRoles;
import org.isolatedpg.core.internal.sql.ScramVerifier;
import org.isolatedpg.core.internal.sql.SqlStates;
import org.isolatedpg.core.internal.template.TemplateBuilder;
import org.isolatedpg.core.internal.template.TemplateBuilder.Template;
import org.isolatedpg.core.internal.template.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm pool of one template's clones. A background executor keeps {@code size} clones ready, each with its
 * connection pool open; {@link #lease()} takes the head of the queue (waiting, with a timeout, when it is empty),
 * checks that the clone still exists and starts a replacement; {@link #release} closes a lease's connections, reports
 * those the test left open, and drops the clone in the background.
 *
 * <p>Invariants: every clone this pool names is, at any time, in exactly one place — being created (counted in
 * {@code creating}), ready (in {@code ready}), leased (in {@code leased}), being dropped (counted in {@code dropping})
 * — or gone. After {@link #close} nothing is added to {@code ready}; a clone finished afterwards is dropped.
 *
 * <p>Faults: before a clone is made the owner lock is made sure of, and before one is handed out it is checked on the
 * owner session (which proves the lock held on the same round trip); a clone found gone is dropped and the next one
 * taken. A clone that cannot be made because the template is gone or invalid has the template built again. Failures
 * of the environment are retried with backoff; a template that cannot be built again fails every waiting lease.
 *
 * <p>Locking: the monitor of this object guards the decision to create clones and the hand-over between
 * {@code ready} and {@code closed}; nothing blocking happens while it is held. Threads waiting for a clone block on
 * the queue, never on the monitor.
 */
public final class ClonePool {

    private static final Logger LOG = LoggerFactory.getLogger(ClonePool.class);
    private static final int THREADS = 2;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    /** Put into the queue by {@link #close}: a waiter that takes it knows the pool closed. */
    private static final ReadyClone CLOSED = new ReadyClone("(closed)", null, null, null, false);
    /** Put into the queue when the template cannot be built again: a waiter that takes it fails with why. */
    private static final ReadyClone BROKEN = new ReadyClone("(broken)", null, null, null, false);

    private final Attachment attachment;
    private final Templates templates;
    private final PoolSettings settings;
    private final String clonePrefix;
    private final String logPrefix;
    private final ScheduledThreadPoolExecutor executor;
    private final ConnectionBudget budget;
    /** How many connections a lease's data source may open: the setting, or a smaller budget's whole. */
    private final int connectionsPerLease;
    /** Whether each clone gets a role of its own, which owns it (see {@link CloneRoles}); else tests are the admin. */
    private final boolean restricted;

    private final BlockingDeque<ReadyClone> ready = new LinkedBlockingDeque<>();
    private final Map<String, ReadyClone> leased = new ConcurrentHashMap<>();
    private final AtomicInteger creating = new AtomicInteger();
    private final AtomicInteger dropping = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final LongAdder clonesCreated = new LongAdder();
    private final LongAdder leases = new LongAdder();
    private final LongAdder waits = new LongAdder();
    private final LongAdder waitedNanos = new LongAdder();
    private final LongAdder leakedConnections = new LongAdder();
    private final LongAdder clonesReplaced = new LongAdder();
    private final LongAdder templateRebuilds = new LongAdder();
    private final LatencyRecorder latencies = new LatencyRecorder();
    private final Template firstTemplate;
    private volatile Template template;
    private volatile Throwable lastFailure;
    /** Set when the template cannot be built again: every lease fails with it at once. */
    private volatile TemplateBuildException broken;

    private boolean closed; // guarded by this

    public ClonePool(Attachment attachment, Templates templates, Template template, PoolSettings settings) {
        this.attachment = attachment;
        this.templates = templates;
        this.firstTemplate = template;
        this.template = template;
        this.settings = settings;
        this.budget = attachment.budget();
        this.connectionsPerLease = connectionsPerLease(settings, budget);
        this.restricted = template.source().privileges() == Privileges.RESTRICTED;
        String shortId = TemplateBuilder.shortId(template.fingerprint());
        this.clonePrefix = "ipg_" + shortId + "_" + attachment.owner() + "_";
        this.logPrefix = "isolatedpg [" + shortId + "]";
        this.executor = new ScheduledThreadPoolExecutor(THREADS, DaemonThreads.named("isolatedpg-" + shortId));
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * The maximum pool size of a lease's data source. A value someone set that exceeds the whole budget is refused; the
     * default gives way to a small server (its {@code max_connections}), since nobody asked for it.
     */
    private static int connectionsPerLease(PoolSettings settings, ConnectionBudget budget) {
        int asked = settings.maximumPoolSize().value();
        if (asked <= budget.total()) {
            return asked;
        }
        if (!"default".equals(settings.maximumPoolSize().source())) {
            throw new InvalidConfigurationException("Invalid value for " + settings.maximumPoolSize() + ": a test's"
                    + " DataSource may open more connections than the server has for all tests ("
                    + budget.snapshot() + "). Lower it, or raise the server's max_connections.");
        }
        LOG.info(
                "isolatedpg - a test's DataSource opens at most {} connections, not {}: the server has no more for"
                        + " tests ({})",
                budget.total(),
                asked,
                budget.snapshot());
        return budget.total();
    }

    /** Starts filling the pool in the background. */
    public void start() {
        replenish();
    }

    public Template template() {
        return template;
    }

    /**
     * A ready clone, checked to exist: at once, or the next one made, waiting up to the acquire timeout.
     *
     * @throws PoolTimeoutException when none became ready in time
     */
    public Lease lease() {
        long started = System.nanoTime();
        long deadline = started + settings.acquireTimeout().value().toNanos();
        ReadyClone clone;
        while (true) {
            clone = take(deadline);
            if (checkUsable(clone, deadline)) {
                break;
            }
        }
        reserveConnections(clone, deadline);
        boolean accepted;
        synchronized (this) {
            accepted = !closed;
            if (accepted) {
                leased.put(clone.name(), clone);
            }
        }
        if (!accepted) { // close() ran between our take and now: it no longer sees this clone
            dropLeased(clone);
            throw closedException();
        }
        latencies.record(System.nanoTime() - started);
        leases.increment();
        replenish();
        return new Lease(
                clone.name(),
                attachment.server().jdbcUrl(clone.name()),
                clone.username(),
                clone.password(),
                clone.dataSource());
    }

    /**
     * Takes the budget's permits for every connection the lease's data source may open (its warm connection's permit
     * counts), first come first served until the deadline; the clone goes back to the head of the queue when they do
     * not come.
     */
    private void reserveConnections(ReadyClone clone, long deadline) {
        int needed = connectionsPerLease - (clone.warm() ? 1 : 0);
        try {
            if (budget.take(needed, deadline)) {
                return;
            }
            ready.offerFirst(clone);
            throw new PoolTimeoutException(
                    "No connections left on the server within "
                            + settings.acquireTimeout().value() + " for a test"
                            + " database of template " + TemplateBuilder.shortId(template.fingerprint()) + ": "
                            + budget.snapshot() + ".\nEach test's DataSource may open "
                            + settings.maximumPoolSize() + " connections; lower it, run fewer tests at once, or raise"
                            + " the server's max_connections.",
                    null);
        } catch (InterruptedException e) {
            ready.offerFirst(clone);
            Thread.currentThread().interrupt();
            throw new IsolatedPostgresException("Interrupted while waiting for connections for a test database", e);
        }
    }

    /** The head of the queue, waiting until the deadline when it is empty. */
    private ReadyClone take(long deadline) {
        if (broken != null) {
            throw broken;
        }
        ReadyClone clone = ready.poll();
        if (clone == null) {
            clone = await(deadline);
        }
        if (clone == CLOSED || clone == BROKEN) {
            ready.offer(clone); // leave the marker for the next waiter
            if (clone == BROKEN) {
                throw broken;
            }
            throw closedException();
        }
        return clone;
    }

    private ReadyClone await(long deadline) {
        waits.increment();
        waiting.incrementAndGet();
        long started = System.nanoTime();
        try {
            replenish();
            ReadyClone clone = ready.poll(deadline - started, TimeUnit.NANOSECONDS);
            if (clone == null) {
                throw timeout();
            }
            return clone;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IsolatedPostgresException(
                    "Interrupted while waiting for a test database of template "
                            + TemplateBuilder.shortId(template.fingerprint()),
                    e);
        } finally {
            waiting.decrementAndGet();
            waitedNanos.add(System.nanoTime() - started);
        }
    }

    /**
     * Whether the clone may be handed out. A clone found gone (dropped by someone, an interrupted drop) is dropped
     * for good and replaced. When the server cannot be asked (restarting), the clone goes back to the head of the
     * queue and the question is asked again after a backoff, until the deadline.
     */
    private boolean checkUsable(ReadyClone clone, long deadline) {
        long backoff = 50;
        while (true) {
            try {
                if (attachment.session().isUsable(clone.name())) {
                    return true;
                }
                LOG.warn("{} - ready clone {} was gone or unusable; replacing it", logPrefix, clone.name());
                clonesReplaced.increment();
                dropOnPoolThreads(() -> dropReady(clone));
                replenish();
                return false;
            } catch (SQLException e) {
                lastFailure = e;
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    ready.offerFirst(clone);
                    throw timeout();
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(backoff)));
                } catch (InterruptedException interrupted) {
                    ready.offerFirst(clone);
                    Thread.currentThread().interrupt();
                    throw new IsolatedPostgresException(
                            "Interrupted while waiting for the server to answer again", interrupted);
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    private IsolatedPostgresException closedException() {
        return new IsolatedPostgresException(logPrefix + " is closed; no more test databases can be leased");
    }

    private PoolTimeoutException timeout() {
        Throwable failure = lastFailure;
        String advice = failure == null
                ? "Clones are made more slowly than tests take them: increase " + settings.acquireTimeout() + " or "
                        + settings.size() + "."
                : (SqlStates.isEnvironmental(failure)
                                ? "The server failed (the environment, not the migrations): "
                                : "Clones cannot be made: ")
                        + SqlStates.describe(failure) + ". The last failure is the cause.";
        return new PoolTimeoutException(
                "No test database became ready within "
                        + settings.acquireTimeout().value() + " for template "
                        + TemplateBuilder.shortId(template.fingerprint()) + " (" + snapshot() + ").\n" + advice,
                failure);
    }

    /** The pool's state, for messages: {@code ready=0, leased=4, creating=2, dropping=1, waiting=3}. */
    public String snapshot() {
        int readyNow = ready.size() - (ready.contains(CLOSED) ? 1 : 0) - (ready.contains(BROKEN) ? 1 : 0);
        return "ready=" + readyNow + ", leased=" + leased.size() + ", creating=" + creating.get() + ", dropping="
                + dropping.get() + ", waiting=" + waiting.get();
    }

    private synchronized void replenish() {
        if (closed || broken != null) {
            return;
        }
        int missing = settings.size().value() - ready.size() - creating.get();
        for (int i = 0; i < missing; i++) {
            creating.incrementAndGet();
            try {
                executor.execute(this::createClone);
            } catch (RejectedExecutionException e) {
                creating.decrementAndGet();
                return;
            }
        }
    }

    private void createClone() {
        String name = clonePrefix + attachment.nextDatabaseNumber();
        String username = attachment.server().user();
        String password = attachment.server().password();
        boolean roleCreated = false;
        boolean created = false;
        boolean counted = true; // in "creating" until handed to the queue
        boolean warm = false;
        DataSource dataSource = null;
        try {
            long started = System.nanoTime();
            attachment.session().ensureAlive(); // never make a clone while this owner looks dead
            if (restricted) {
                password = ScramVerifier.randomPassword();
                attachment.databases().cloneRoles().create(name, ScramVerifier.of(password));
                roleCreated = true;
                username = name;
            }
            cloneTemplate(name, restricted ? name : null);
            created = true;
            if (restricted) {
                attachment.databases().cloneRoles().revokePublic(name);
            }
            long cloned = System.nanoTime();
            warm = budget.tryTakeWarm(connectionsPerLease);
            dataSource = attachment.connectionPools().open(name, username, password, connectionsPerLease, warm);
            clonesCreated.increment();
            consecutiveFailures.set(0);
            LOG.debug(
                    "{} - created {} in {} µs, its connection pool opened in {} µs",
                    logPrefix,
                    name,
                    (cloned - started) / 1_000,
                    (System.nanoTime() - cloned) / 1_000);
            ReadyClone clone = new ReadyClone(name, username, password, dataSource, warm);
            counted = false;
            if (!offer(clone)) {
                dropReady(clone);
            }
        } catch (SQLException | RuntimeException | Error e) {
            if (counted) {
                creating.decrementAndGet();
            }
            if (dataSource != null) {
                ConnectionPools.close(dataSource);
            }
            if (warm && counted) {
                budget.give(1);
            }
            // The name is this owner's alone, so a CREATE whose answer was lost (a crash, a terminated session) may
            // have made it: drop it if it exists. Only a name found taken is someone else's, and never touched.
            if (created || !(e instanceof SQLException sql && SqlStates.isNameTaken(sql))) {
                dropQuietly(name);
            } else if (roleCreated) { // the database's name was taken, not the role's: the role is ours
                dropRoleQuietly(name);
            }
            failed(name, e);
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    /** Clones the template, owned by {@code owner} (null: the admin); a template found gone or invalid is built again first, once. */
    private void cloneTemplate(String name, String owner) throws SQLException {
        Template current = template;
        try {
            attachment
                    .databases()
                    .createClone(name, current.name(), settings.cloneStrategy().value(), owner);
        } catch (SQLException e) {
            if (!SqlStates.INVALID_CATALOG_NAME.equals(e.getSQLState())
                    && !SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE.equals(e.getSQLState())) {
                throw e;
            }
            rebuildTemplate(current);
            attachment
                    .databases()
                    .createClone(name, template.name(), settings.cloneStrategy().value(), owner);
        }
    }

    /**
     * Builds the template again, or finds it rebuilt: both cloning threads may find it gone at once, and the build
     * locks let one build while the other waits and then finds it.
     */
    private void rebuildTemplate(Template current) {
        Template rebuilt;
        try {
            rebuilt = templates.rebuild(current);
        } catch (TemplateBuildException e) {
            broken = e;
            ready.offer(BROKEN); // wakes the waiters, each passing it on
            throw e;
        }
        synchronized (this) {
            if (template == current) {
                template = rebuilt;
                templateRebuilds.increment();
            }
        }
    }

    private void failed(String name, Throwable e) {
        lastFailure = e;
        if (broken != null) {
            return;
        }
        int failures = consecutiveFailures.incrementAndGet();
        long backoff = Math.min(MAX_BACKOFF_MILLIS, 50L << Math.min(failures, 10));
        if (failures == 1) {
            LOG.warn(
                    "{} - could not create clone {} ({}); retrying with backoff",
                    logPrefix,
                    name,
                    SqlStates.describe(e),
                    e);
        } else {
            LOG.debug(
                    "{} - could not create clone {} (attempt {}); retrying in {} ms",
                    logPrefix,
                    name,
                    failures,
                    backoff,
                    e);
        }
        scheduleRetry(backoff);
    }

    /** Hands a new clone to the queue, unless the pool closed; it stops counting as "creating" atomically. */
    private synchronized boolean offer(ReadyClone clone) {
        creating.decrementAndGet();
        return !closed && ready.offer(clone);
    }

    private synchronized void scheduleRetry(long backoffMillis) {
        if (!closed) {
            executor.schedule(this::replenish, backoffMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Takes a lease back: closes its connection pool, reports the connections the test left open (borrowed and never
     * closed, or opened on the database's URL outside the pool), and drops the clone in the background.
     */
    public ReleaseReport release(Lease lease) {
        ReadyClone clone = leased.remove(lease.name());
        if (clone == null) {
            return new ReleaseReport(lease.name(), List.of());
        }
        List<String> leaks = new ArrayList<>();
        int borrowed = ConnectionPools.activeConnections(clone.dataSource());
        if (borrowed > 0) {
            leaks.add(borrowed + " connection(s) borrowed from the test's DataSource and never closed");
        }
        ConnectionPools.close(clone.dataSource());
        List<String> foreign = foreignConnections(clone.name());
        leaks.addAll(foreign);
        leakedConnections.add(borrowed + foreign.size());
        budget.give(connectionsPerLease);
        dropInBackground(clone.name());
        return new ReleaseReport(clone.name(), leaks);
    }

    private void dropInBackground(String name) {
        dropping.incrementAndGet();
        try {
            executor.execute(() -> {
                try {
                    dropQuietly(name);
                } finally {
                    dropping.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            // closing: drop it here
            dropQuietly(name);
            dropping.decrementAndGet();
        }
    }

    private List<String> foreignConnections(String database) {
        try {
            return attachment.databases().foreignConnections(database, ConnectionPools.APPLICATION_NAME);
        } catch (SQLException e) {
            LOG.debug("{} - could not look for leaked connections to {}", logPrefix, database, e);
            return List.of();
        }
    }

    /** Drops a clone that was never leased, giving back its warm connection's permit. */
    private void dropReady(ReadyClone clone) {
        ConnectionPools.close(clone.dataSource());
        budget.give(clone.warm() ? 1 : 0);
        dropQuietly(clone.name());
    }

    /** Drops a leased clone, giving back its lease's permits. */
    private void dropLeased(ReadyClone clone) {
        ConnectionPools.close(clone.dataSource());
        budget.give(connectionsPerLease);
        dropQuietly(clone.name());
    }

    /** Drops a clone and then, under restricted privileges, its role (which owns it, so cannot go first). */
    private void dropQuietly(String name) {
        try {
            long started = System.nanoTime();
            attachment.databases().drop(name);
            LOG.debug("{} - dropped {} in {} µs", logPrefix, name, (System.nanoTime() - started) / 1_000);
        } catch (SQLException e) {
            LOG.warn("{} - could not drop clone {} ({})", logPrefix, name, SqlStates.describe(e), e);
            return;
        }
        if (restricted) {
            dropRoleQuietly(name);
        }
    }

    private void dropRoleQuietly(String name) {
        try {
            attachment.databases().cloneRoles().drop(name);
        } catch (SQLException e) {
            LOG.warn("{} - could not drop the role {} ({})", logPrefix, name, SqlStates.describe(e), e);
        }
    }

    private void dropOnPoolThreads(Runnable drop) {
        try {
            executor.execute(drop);
        } catch (RejectedExecutionException e) {
            drop.run();
        }
    }

    public PoolStatistics statistics() {
        return new PoolStatistics(
                TemplateBuilder.shortId(firstTemplate.fingerprint()),
                firstTemplate.reused(),
                firstTemplate.millis(),
                firstTemplate.migrationsExecuted(),
                clonesCreated.sum(),
                leases.sum(),
                waits.sum(),
                Duration.ofNanos(waitedNanos.sum()),
                leakedConnections.sum(),
                latencies.percentile(50),
                latencies.percentile(95),
                latencies.percentile(100),
                clonesReplaced.sum(),
                templateRebuilds.sum());
    }

    /**
     * Drops every clone of this pool, ready or still leased, in parallel on the pool's threads, and stops them,
     * waiting at most {@code timeout}: what is left then belongs to an owner about to be gone, and the next start's
     * janitor drops it.
     */
    public void close(Duration timeout) {
        List<ReadyClone> remaining = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ready.drainTo(remaining);
            ready.offer(CLOSED); // wakes the waiters, each passing it on
        }
        for (ReadyClone clone : remaining) {
            dropOnPoolThreads(() -> dropReady(clone));
        }
        for (String name : List.copyOf(leased.keySet())) {
            LOG.warn("{} - {} was still leased when the pool closed; releasing it", logPrefix, name);
            ReadyClone clone = leased.remove(name);
            if (clone != null) {
                dropOnPoolThreads(() -> dropLeased(clone));
            }
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "{} - clones were still being created or dropped after {}; the next start drops what is left",
                        logPrefix,
                        timeout);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
