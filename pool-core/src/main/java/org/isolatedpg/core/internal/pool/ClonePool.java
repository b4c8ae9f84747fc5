package org.isolatedpg.core.internal.pool;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.PoolStatistics;
import org.isolatedpg.core.PoolTimeoutException;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.internal.hikari.ConnectionPools;
import org.isolatedpg.core.internal.server.Server;
import org.isolatedpg.core.internal.sql.Databases;
import org.isolatedpg.core.internal.sql.OwnerSession;
import org.isolatedpg.core.internal.template.TemplateBuilder;
import org.isolatedpg.core.internal.template.TemplateBuilder.Template;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm pool of one template's clones. A background executor keeps {@code size} clones ready, each with its
 * connection pool open; {@link #lease()} takes the head of the queue (waiting, with a timeout, when it is empty) and
 * starts a replacement at once; a released clone is dropped in the background.
 *
 * <p>Invariants: every clone this pool names is, at any time, in exactly one place — being created (counted in
 * {@code creating}), ready (in {@code ready}), leased (in {@code leased}), being dropped (counted in {@code dropping})
 * — or gone. After {@link #close()} nothing is added to {@code ready}; a clone finished afterwards is dropped.
 *
 * <p>Clone names carry the server attachment's owner and a number unique to that attachment, so two pools of one
 * template (two spellings of one location) never name the same database.
 *
 * <p>Locking: the monitor of this object guards the decision to create clones and the hand-over between
 * {@code ready} and {@code closed}; nothing blocking happens while it is held. Threads waiting for a clone block on
 * the queue, never on the monitor.
 */
public final class ClonePool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClonePool.class);
    private static final int THREADS = 2;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    /** Put into the queue by {@link #close()}: a waiter that takes it knows the pool closed. */
    private static final ReadyClone CLOSED = new ReadyClone("(closed)", null);

    private final Server server;
    private final Databases databases;
    private final ConnectionPools connectionPools;
    private final Template template;
    private final PoolSettings settings;
    private final String clonePrefix;
    private final LongSupplier names;
    private final OwnerSession session;
    private final String logPrefix;
    private final ScheduledThreadPoolExecutor executor;

    private final BlockingQueue<ReadyClone> ready = new LinkedBlockingQueue<>();
    private final Set<Lease> leased = ConcurrentHashMap.newKeySet();
    private final AtomicInteger creating = new AtomicInteger();
    private final AtomicInteger dropping = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final LongAdder clonesCreated = new LongAdder();
    private final LongAdder leases = new LongAdder();
    private final LongAdder waits = new LongAdder();
    private final LongAdder waitedNanos = new LongAdder();
    private final LongAdder leakedConnections = new LongAdder();
    private final LatencyRecorder latencies = new LatencyRecorder();
    private volatile Throwable lastFailure;
    private boolean closed; // guarded by this

    public ClonePool(
            Server server,
            Databases databases,
            ConnectionPools connectionPools,
            Template template,
            PoolSettings settings,
            OwnerSession session,
            LongSupplier names) {
        this.server = server;
        this.databases = databases;
        this.connectionPools = connectionPools;
        this.template = template;
        this.settings = settings;
        this.names = names;
        this.session = session;
        String owner = session.owner();
        String shortId = TemplateBuilder.shortId(template.fingerprint());
        this.clonePrefix = "ipg_" + shortId + "_" + owner + "_";
        this.logPrefix = "isolatedpg [" + shortId + "]";
        this.executor = new ScheduledThreadPoolExecutor(THREADS, DaemonThreads.named("isolatedpg-" + shortId));
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor.setRemoveOnCancelPolicy(true);
    }

    /** Starts filling the pool in the background. */
    public void start() {
        replenish();
    }

    public TestDatabase lease() {
        long started = System.nanoTime();
        ReadyClone clone = ready.poll();
        if (clone == null || clone == CLOSED) {
            clone = awaitClone(clone);
        }
        Lease lease = new Lease(this, clone);
        synchronized (this) {
            if (closed) { // close() ran between our poll and now: it no longer sees this clone
                drop(clone);
                throw closedException();
            }
            leased.add(lease);
        }
        latencies.record(System.nanoTime() - started);
        leases.increment();
        replenish();
        return lease;
    }

    private ReadyClone awaitClone(ReadyClone polled) {
        if (polled == CLOSED) {
            ready.offer(CLOSED); // leave the marker for the next waiter
            throw closedException();
        }
        waits.increment();
        waiting.incrementAndGet();
        long started = System.nanoTime();
        Duration timeout = settings.acquireTimeout().value();
        try {
            replenish();
            ReadyClone clone = ready.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (clone == null) {
                throw timeout(timeout);
            }
            if (clone == CLOSED) {
                ready.offer(CLOSED);
                throw closedException();
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

    private IsolatedPostgresException closedException() {
        return new IsolatedPostgresException(logPrefix + " is closed; no more test databases can be leased");
    }

    private PoolTimeoutException timeout(Duration timeout) {
        String advice = lastFailure == null
                ? "Clones are made more slowly than tests take them: increase " + settings.acquireTimeout() + " or "
                        + settings.size() + "."
                : "Clones cannot be made; the last failure is the cause.";
        return new PoolTimeoutException(
                "No test database became ready within " + timeout + " for template "
                        + TemplateBuilder.shortId(template.fingerprint()) + " (" + snapshot() + ").\n" + advice,
                lastFailure);
    }

    /** The pool's state, for messages: {@code ready=0, leased=4, creating=2, dropping=1, waiting=3}. */
    public String snapshot() {
        int readyNow = ready.size() - (ready.contains(CLOSED) ? 1 : 0);
        return "ready=" + readyNow + ", leased=" + leased.size() + ", creating=" + creating.get() + ", dropping="
                + dropping.get() + ", waiting=" + waiting.get();
    }

    private synchronized void replenish() {
        if (closed) {
            return;
        }
        int missing = settings.size().value() - ready.size() - creating.get();
        for (int i = 0; i < missing; i++) {
            creating.incrementAndGet();
            executor.execute(this::createClone);
        }
    }

    private void createClone() {
        String name = clonePrefix + names.getAsLong();
        boolean created = false;
        DataSource dataSource = null;
        try {
            long started = System.nanoTime();
            databases.createClone(
                    name, template.name(), settings.cloneStrategy().value());
            created = true;
            long cloned = System.nanoTime();
            dataSource = connectionPools.open(name, settings.maximumPoolSize().value());
            clonesCreated.increment();
            consecutiveFailures.set(0);
            LOG.debug(
                    "{} - created {} in {} µs, its connection pool opened in {} µs",
                    logPrefix,
                    name,
                    (cloned - started) / 1_000,
                    (System.nanoTime() - cloned) / 1_000);
            if (!offer(new ReadyClone(name, dataSource))) {
                drop(new ReadyClone(name, dataSource));
            }
        } catch (SQLException | RuntimeException e) {
            creating.decrementAndGet();
            lastFailure = e;
            int failures = consecutiveFailures.incrementAndGet();
            long backoff = Math.min(MAX_BACKOFF_MILLIS, 50L << Math.min(failures, 10));
            if (failures == 1) {
                LOG.warn("{} - could not create clone {}; retrying with backoff", logPrefix, name, e);
            } else {
                LOG.debug(
                        "{} - could not create clone {} (attempt {}); retrying in {} ms",
                        logPrefix,
                        name,
                        failures,
                        backoff,
                        e);
            }
            if (dataSource != null) {
                ConnectionPools.close(dataSource);
            }
            if (created) { // never drop a name we could not create: it may be someone else's database
                dropQuietly(name);
            }
            scheduleRetry(backoff);
        }
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

    /** Called by a lease when its test is done: drop the clone in the background. */
    void recreate(Lease lease, int leaks) {
        leakedConnections.add(leaks);
        dropping.incrementAndGet();
        leased.remove(lease);
        try {
            executor.execute(() -> {
                try {
                    dropQuietly(lease.name());
                } finally {
                    dropping.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: close() drops what is left
            dropQuietly(lease.name());
            dropping.decrementAndGet();
        }
    }

    List<String> foreignConnections(String database) {
        try {
            return databases.foreignConnections(database, ConnectionPools.APPLICATION_NAME);
        } catch (SQLException e) {
            LOG.debug("{} - could not look for leaked connections to {}", logPrefix, database, e);
            return List.of();
        }
    }

    Server server() {
        return server;
    }

    private void drop(ReadyClone clone) {
        ConnectionPools.close(clone.dataSource());
        dropQuietly(clone.name());
    }

    private void dropQuietly(String name) {
        try {
            long started = System.nanoTime();
            databases.drop(name);
            LOG.debug("{} - dropped {} in {} µs", logPrefix, name, (System.nanoTime() - started) / 1_000);
        } catch (SQLException e) {
            LOG.warn("{} - could not drop clone {}", logPrefix, name, e);
        }
    }

    public PoolStatistics statistics() {
        return new PoolStatistics(
                TemplateBuilder.shortId(template.fingerprint()),
                template.reused(),
                template.millis(),
                template.migrationsExecuted(),
                clonesCreated.sum(),
                leases.sum(),
                waits.sum(),
                Duration.ofNanos(waitedNanos.sum()),
                leakedConnections.sum(),
                latencies.percentile(50),
                latencies.percentile(95),
                latencies.percentile(100));
    }

    /** Drops every clone of this pool, ready or still leased, and stops the executor. */
    @Override
    public void close() {
        List<ReadyClone> remaining = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ready.drainTo(remaining);
            ready.offer(CLOSED); // wakes the waiters, each passing it on
        }
        for (Lease lease : List.copyOf(leased)) {
            LOG.warn("{} - {} was still leased when the pool closed; releasing it", logPrefix, lease.name());
            lease.release();
        }
        for (ReadyClone clone : remaining) {
            executor.execute(() -> drop(clone));
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} - clones were still being created or dropped after {}", logPrefix, CLOSE_TIMEOUT);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
