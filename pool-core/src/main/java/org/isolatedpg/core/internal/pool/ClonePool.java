package org.isolatedpg.core.internal.pool;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.PoolStatistics;
import org.isolatedpg.core.PoolTimeoutException;
import org.isolatedpg.core.ReleaseReport;
import org.isolatedpg.core.TemplateBuildException;
import org.isolatedpg.core.internal.attachment.Attachment;
import org.isolatedpg.core.internal.hikari.ConnectionPools;
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
    private static final long DROP_DELAY_MILLIS = 20;
    private static final int MAX_DROP_DEFERRALS = 50;
    /** Put into the queue by {@link #close}: a waiter that takes it knows the pool closed. */
    private static final ReadyClone CLOSED = new ReadyClone("(closed)", 0, null, null, null, false, 0, null);
    /** Put into the queue when the template cannot be built again: a waiter that takes it fails with why. */
    private static final ReadyClone BROKEN = new ReadyClone("(broken)", 0, null, null, null, false, 0, null);

    private final Attachment attachment;
    private final CloneFactory factory;
    private final PoolSettings settings;
    private final String clonePrefix;
    private final String logPrefix;
    private final ScheduledThreadPoolExecutor executor;
    private final ConnectionBudget budget;
    /** How many connections a lease's data source may open: the setting, or a smaller budget's whole. */
    private final int connectionsPerLease;

    private final BlockingDeque<ReadyClone> ready = new LinkedBlockingDeque<>();
    private final Map<String, Leased> leased = new ConcurrentHashMap<>();
    private final AtomicInteger creating = new AtomicInteger();
    /** Clones given back and being checked for whether their test changed them. */
    private final AtomicInteger returning = new AtomicInteger();

    private final AtomicInteger dropping = new AtomicInteger();
    /** Clones whose drop is scheduled: {@link #close} drops those the executor will no longer run. */
    private final Set<ReadyClone> pendingDrops = ConcurrentHashMap.newKeySet();

    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final LongAdder clonesCreated = new LongAdder();
    private final LongAdder leases = new LongAdder();
    private final LongAdder waits = new LongAdder();
    private final LongAdder waitedNanos = new LongAdder();
    private final LongAdder leakedConnections = new LongAdder();
    private final LongAdder clonesReplaced = new LongAdder();
    private final LongAdder clonesReused = new LongAdder();
    private final LongAdder checks = new LongAdder();
    private final LongAdder checkNanos = new LongAdder();
    /**
     * The recent share of tests that left their clone untouched (a moving average): that many of the clones leased
     * now are expected back, and are not replaced in advance.
     */
    private volatile double untouchedShare;

    /**
     * After this many checks in a row found the clone changed, a suite's tests are taken to write: checking costs the
     * server a few queries and the pool's threads their time, for nothing, so only one returned clone in
     * {@link #SAMPLE_EVERY} is checked (to notice when tests start leaving their clones untouched); the others are
     * dropped at once. One untouched clone ends it.
     */
    static final int CHANGED_BEFORE_SAMPLING = 16;

    /** While tests keep changing their clones, one returned clone in this many is checked. */
    static final int SAMPLE_EVERY = 8;

    private final AtomicInteger changedInARow = new AtomicInteger();
    private final AtomicLong unchecked = new AtomicLong();

    private final LatencyRecorder latencies = new LatencyRecorder();
    private final Template firstTemplate;
    private volatile Throwable lastFailure;
    /** Set when the template cannot be built again: every lease fails with it at once. */
    private volatile TemplateBuildException broken;

    private boolean closed; // guarded by this

    public ClonePool(Attachment attachment, Templates templates, Template template, PoolSettings settings) {
        this.attachment = attachment;
        this.firstTemplate = template;
        this.settings = settings;
        this.budget = attachment.budget();
        this.connectionsPerLease = budget.perLease(settings.maximumPoolSize());
        this.factory = new CloneFactory(
                attachment, templates, template, settings.cloneStrategy().value(), connectionsPerLease);
        String shortId = TemplateBuilder.shortId(firstTemplate.fingerprint());
        this.clonePrefix = "ipg_" + shortId + "_" + attachment.owner() + "_";
        this.logPrefix = "isolatedpg [" + shortId + "]";
        this.executor = new ScheduledThreadPoolExecutor(THREADS, DaemonThreads.named("isolatedpg-" + shortId));
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor.setRemoveOnCancelPolicy(true);
    }

    /** Starts filling the pool in the background. */
    public void start() {
        replenish();
    }

    public Template template() {
        return factory.template();
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
        if (attachment.session().sessionsLost() != clone.sessionsLost()) {
            // The server may have restarted since the clone's warm connection opened, ending it; HikariCP would hand
            // it out unchecked if it was used within its last half second.
            ConnectionPools.evictIdle(clone.dataSource());
        }
        reserveConnections(clone, deadline);
        LeaseDataSource dataSource = new LeaseDataSource(clone.dataSource(), clone.name());
        boolean accepted;
        synchronized (this) {
            accepted = !closed;
            if (accepted) {
                leased.put(clone.name(), new Leased(clone, dataSource));
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
                dataSource);
    }

    /** A clone handed to a test, and the test's view of its connection pool, which ends with the lease. */
    private record Leased(ReadyClone ready, LeaseDataSource dataSource) {}

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
                            + " database of template " + TemplateBuilder.shortId(firstTemplate.fingerprint()) + ": "
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
                            + TemplateBuilder.shortId(firstTemplate.fingerprint()),
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
                        + TemplateBuilder.shortId(firstTemplate.fingerprint()) + " (" + snapshot() + ").\n" + advice,
                failure);
    }

    /** The pool's state, for messages: {@code ready=0, leased=4, creating=2, dropping=1, waiting=3}. */
    public String snapshot() {
        return state().toString();
    }

    /** How many clones are in each state now. */
    public PoolState state() {
        int readyNow = ready.size() - (ready.contains(CLOSED) ? 1 : 0) - (ready.contains(BROKEN) ? 1 : 0);
        return new PoolState(readyNow, leased.size(), returning.get(), creating.get(), dropping.get(), waiting.get());
    }

    private synchronized void replenish() {
        if (closed || broken != null) {
            return;
        }
        // Clones expected back untouched are not replaced in advance, but a waiter always gets clones made: leases
        // held for long (a Spring context's own clone, a class's) would otherwise be waited for.
        int expectedBack = waiting.get() > 0 ? 0 : (int) Math.round(untouchedShare * leased.size());
        int missing = settings.size().value() - ready.size() - creating.get() - returning.get() - expectedBack;
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
        boolean warm = budget.tryTakeWarm(connectionsPerLease);
        ReadyClone clone;
        try {
            clone = factory.make(name, warm);
            clonesCreated.increment();
            consecutiveFailures.set(0);
        } catch (SQLException | RuntimeException | Error e) {
            budget.give(warm ? 1 : 0);
            creating.decrementAndGet();
            if (e instanceof TemplateBuildException rebuildFailed) {
                broken = rebuildFailed;
                ready.offer(BROKEN); // wakes the waiters, each passing it on
            }
            failed(name, e);
            if (e instanceof Error error) {
                throw error;
            }
            return;
        }
        if (!offer(clone)) {
            dropReady(clone);
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

    /**
     * Hands a new clone to the queue, unless the pool closed or clones given back untouched filled it meanwhile; it
     * stops counting as "creating" atomically.
     */
    private synchronized boolean offer(ReadyClone clone) {
        creating.decrementAndGet();
        return !closed && ready.size() < settings.size().value() && ready.offer(clone);
    }

    private synchronized void scheduleRetry(long backoffMillis) {
        if (!closed) {
            executor.schedule(this::replenish, backoffMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Takes a lease back: ends the test's view of the connection pool and reports the connections the test left open
     * (borrowed and never closed, or opened on the database's URL outside the pool). A clone whose test left nothing
     * open goes to be checked in the background: untouched, it goes back to the ready queue as it is; changed, or
     * not checkable, it is dropped in the background.
     */
    public ReleaseReport release(Lease lease) {
        TakenBack taken = takeBack(lease);
        if (taken == null) {
            return new ReleaseReport(lease.name(), List.of());
        }
        ReadyClone clone = taken.ready();
        List<String> leaks = taken.leaks();
        if (leaks.isEmpty()
                && clone.baseline() != null
                && attachment.session().sessionsLost() == clone.sessionsLost()
                && worthChecking()) {
            checkInBackground(clone);
        } else {
            LOG.debug(
                    "{} - dropping {} unchecked: {}",
                    logPrefix,
                    clone.name(),
                    !leaks.isEmpty()
                            ? leaks
                            : clone.baseline() == null
                                    ? "its state was not read when it was made"
                                    : attachment.session().sessionsLost() != clone.sessionsLost()
                                            ? "sessions lost"
                                            : "the last " + changedInARow.get() + " checked were changed");
            ConnectionPools.close(clone.dataSource());
            budget.give(connectionsPerLease);
            dropInBackground(clone);
            replenish();
        }
        return new ReleaseReport(clone.name(), leaks);
    }

    /**
     * Takes a lease back after its test failed: as {@link #release}, except that the clone is kept on the server as
     * the test left it, for a look (see {@link KeptClones}), where the attachment keeps any. Its data source is closed
     * all the same; connections the test opened on the database's URL itself are reported and left as they are. The
     * kept clones this one pushes out, of any pool of the attachment, are dropped in the background.
     */
    public ReleaseReport releaseFailed(Lease lease, String test) {
        KeptClones kept = attachment.keptClones();
        if (!kept.enabled()) {
            return release(lease);
        }
        TakenBack taken = takeBack(lease);
        if (taken == null) {
            return new ReleaseReport(lease.name(), List.of());
        }
        ReadyClone clone = taken.ready();
        List<String> leaks = taken.leaks();
        ConnectionPools.close(clone.dataSource());
        budget.give(connectionsPerLease);
        for (KeptClones.Kept old : kept.keep(clone.name(), test, () -> factory.destroy(clone), logPrefix)) {
            dropOnPoolThreads(old.drop());
        }
        replenish();
        return new ReleaseReport(clone.name(), leaks);
    }

    /** A lease taken back: its clone, and the connections its test left open. */
    private record TakenBack(ReadyClone ready, List<String> leaks) {}

    /**
     * Takes a lease out of {@code leased} and ends the test's view of its connections; reports the connections the
     * test left open (borrowed and never closed, or opened on the database's URL outside the pool). Null when the
     * lease was taken back already.
     */
    private TakenBack takeBack(Lease lease) {
        Leased leasedClone = leased.remove(lease.name());
        if (leasedClone == null) {
            return null;
        }
        leasedClone.dataSource().release();
        ReadyClone clone = leasedClone.ready();
        List<String> leaks = new ArrayList<>();
        int borrowed = ConnectionPools.activeConnections(clone.dataSource());
        if (borrowed > 0) {
            leaks.add(borrowed + " connection(s) borrowed from the test's DataSource and never closed");
        }
        List<String> foreign = foreignConnections(clone.name());
        leaks.addAll(foreign);
        leakedConnections.add(borrowed + foreign.size());
        return new TakenBack(clone, leaks);
    }

    /** Whether to check a returned clone: always, unless tests keep changing theirs (then one in a sample). */
    private boolean worthChecking() {
        return changedInARow.get() < CHANGED_BEFORE_SAMPLING || unchecked.incrementAndGet() % SAMPLE_EVERY == 0;
    }

    private void checkInBackground(ReadyClone clone) {
        returning.incrementAndGet();
        try {
            executor.execute(() -> checkReturned(clone));
        } catch (RejectedExecutionException e) { // closing
            returning.decrementAndGet();
            dropLeased(clone);
        }
    }

    /** Puts a clone its test left untouched back at the head of the queue; drops it, and replaces it, otherwise. */
    private void checkReturned(ReadyClone clone) {
        long started = System.nanoTime();
        boolean untouched;
        try {
            untouched = UntouchedCheck.untouched(
                    clone.dataSource(), clone.name(), clone.baseline(), factory.localBaseline());
        } catch (SQLException | RuntimeException e) {
            LOG.debug("{} - could not tell whether {} was changed; dropping it", logPrefix, clone.name(), e);
            untouched = false;
        }
        checks.increment();
        checkNanos.add(System.nanoTime() - started);
        untouchedShare = untouchedShare * 0.9 + (untouched ? 0.1 : 0);
        if (untouched) {
            changedInARow.set(0);
        } else {
            changedInARow.incrementAndGet();
        }
        if (untouched) {
            budget.give(connectionsPerLease - 1); // it keeps its warm connection's permit
            ReadyClone surplus = offerReturned(clone);
            if (surplus != null) {
                ConnectionPools.close(surplus.dataSource());
                budget.give(surplus.warm() ? 1 : 0);
                dropInBackground(surplus);
            }
            return;
        }
        returning.decrementAndGet();
        ConnectionPools.close(clone.dataSource());
        budget.give(connectionsPerLease);
        dropInBackground(clone);
        replenish();
    }

    /**
     * Hands a returned clone to the head of the queue, where its warm connection and cached pages are taken first,
     * unless the pool closed; it stops counting as returning. A replacement made meanwhile can leave one ready clone
     * too many: the one at the tail is the surplus, to be dropped (as is the returned clone when the pool closed).
     */
    private synchronized ReadyClone offerReturned(ReadyClone clone) {
        if (closed) {
            returning.decrementAndGet();
            return clone;
        }
        ready.offerFirst(clone);
        clonesReused.increment(); // before it stops counting as returning: who saw returning=0 sees it counted
        returning.decrementAndGet();
        if (ready.size() <= settings.size().value() || ready.peekLast() == BROKEN) {
            return null;
        }
        return ready.pollLast();
    }

    /**
     * Drops a clone whose connections were just closed, in the background and a little later: a {@code DROP
     * DATABASE} that finds a backend of the database still exiting sleeps 100 ms before it looks again, and a backend
     * takes a few milliseconds to exit after its client closed. While tests wait for clones, drops wait too (up to
     * {@value #MAX_DROP_DEFERRALS} times {@value #DROP_DELAY_MILLIS} ms): the two threads make clones first.
     */
    private void dropInBackground(ReadyClone clone) {
        dropping.incrementAndGet();
        pendingDrops.add(clone);
        scheduleDrop(clone, 0);
    }

    private void scheduleDrop(ReadyClone clone, int deferrals) {
        try {
            executor.schedule(() -> dropWhenDue(clone, deferrals), DROP_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) { // closing: drop it here
            dropPending(clone);
        }
    }

    private void dropWhenDue(ReadyClone clone, int deferrals) {
        if (waiting.get() > 0 && deferrals < MAX_DROP_DEFERRALS) {
            scheduleDrop(clone, deferrals + 1);
            return;
        }
        dropPending(clone);
    }

    /** Drops a clone waiting to be dropped, once: by its scheduled task, or by {@link #close}. */
    private void dropPending(ReadyClone clone) {
        if (pendingDrops.remove(clone)) {
            try {
                factory.destroy(clone);
            } finally {
                dropping.decrementAndGet();
            }
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
        factory.destroy(clone);
    }

    /** Drops a leased clone, giving back its lease's permits. */
    private void dropLeased(ReadyClone clone) {
        ConnectionPools.close(clone.dataSource());
        budget.give(connectionsPerLease);
        factory.destroy(clone);
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
                factory.templateRebuilds(),
                firstTemplate.builtFrom() == null ? "" : firstTemplate.builtFrom(),
                clonesReused.sum(),
                Duration.ofNanos(checks.sum() == 0 ? 0 : checkNanos.sum() / checks.sum()),
                checks.sum());
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
            Leased clone = leased.remove(name);
            if (clone != null) {
                clone.dataSource().release();
                dropOnPoolThreads(() -> dropLeased(clone.ready()));
            }
        }
        for (ReadyClone clone : List.copyOf(pendingDrops)) { // scheduled drops would not run once it shuts down
            dropOnPoolThreads(() -> dropPending(clone));
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
