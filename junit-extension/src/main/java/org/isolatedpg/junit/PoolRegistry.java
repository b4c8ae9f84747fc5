package org.isolatedpg.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.KeptDatabase;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything isolated-postgres keeps for one JUnit run: the server and a pool per template. It lives in the root
 * store, so JUnit closes it when the run ends: the pools first (dropping their clones), then the server.
 *
 * <p>The server and each pool are {@link Lazy}: the store only holds cheap holders, and the slow work (starting the
 * server, building a template) runs outside the store, on the first test that needs it.
 */
final class PoolRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IsolatedPostgres.class);
    /** Starting the server or building a template may take long (big migrations), but never forever. */
    private static final Duration PREPARE_TIMEOUT = Duration.ofMinutes(10);

    private final Lazy<PostgresServer> server;
    private final Map<PoolKey, Lazy<TestDatabasePool>> pools = new ConcurrentHashMap<>();
    private final Map<PoolKey, Duration> closeTimeouts = new ConcurrentHashMap<>();

    /**
     * What makes two classes' pools one: the template, the pool's settings (by value, not by where they came from)
     * and the class loader that reads the migrations. Classes that differ in any of these get pools of their own.
     */
    private record PoolKey(TemplateSpec spec, List<Object> settings, ClassLoader loader) {

        static PoolKey of(TemplateSpec spec, PoolSettings settings, ClassLoader loader) {
            return new PoolKey(
                    spec,
                    List.of(
                            settings.size().value(),
                            settings.acquireTimeout().value(),
                            settings.cloneStrategy().value(),
                            settings.maximumPoolSize().value(),
                            settings.closeTimeout().value(),
                            settings.privileges().value(),
                            settings.incrementalTemplates().value()),
                    loader);
        }
    }

    /** How long the server took to be ready for this run, and the first test to get its database. */
    private volatile long serverMillis = -1;

    private final AtomicLong firstLeaseMillis = new AtomicLong(-1);

    /** What holders of long leases (a Spring context's own database) give back before the pools close. */
    private final List<Runnable> beforeClose = new CopyOnWriteArrayList<>();

    PoolRegistry(Configuration configuration) {
        this.server = new Lazy<>("the PostgreSQL server", () -> {
            long started = System.nanoTime();
            PostgresServer running = PostgresServer.start(configuration.serverSettings());
            serverMillis = (System.nanoTime() - started) / 1_000_000;
            return running;
        });
    }

    /**
     * Starts preparing the server and the spec's pool in the background, without waiting: a class calls it when JUnit
     * first shows it, so that the server starts and the template is found or built while JUnit, the class's other
     * extensions and a Spring application context get ready, not after the first test asked.
     */
    void prepare(TemplateSpec spec, PoolSettings settings, ClassLoader loader) {
        pool(spec, settings, loader).start();
    }

    /** A test database of the spec's template, preparing the server and the template on first use. */
    TestDatabase lease(TemplateSpec spec, PoolSettings settings, ClassLoader loader) {
        long asked = System.nanoTime();
        TestDatabase database =
                pool(spec, settings, loader).get(PREPARE_TIMEOUT).lease();
        firstLeaseMillis.compareAndSet(-1, (System.nanoTime() - asked) / 1_000_000);
        return database;
    }

    private Lazy<TestDatabasePool> pool(TemplateSpec spec, PoolSettings settings, ClassLoader loader) {
        PoolKey poolKey = PoolKey.of(spec, settings, loader);
        closeTimeouts.putIfAbsent(poolKey, settings.closeTimeout().value());
        return pools.computeIfAbsent(
                poolKey,
                key -> new Lazy<>(
                        "the template of " + spec,
                        () -> TestDatabasePool.open(server.get(PREPARE_TIMEOUT), spec, settings, loader)));
    }

    /**
     * Closes the pools in parallel, each within its close timeout, and then the server: a run's close ends within
     * about {@value org.isolatedpg.core.ConfigKeys#POOL_CLOSE_TIMEOUT} whatever the number of pools.
     */
    /** Runs {@code task} first thing in {@link #close}. */
    void beforeClose(Runnable task) {
        beforeClose.add(task);
    }

    @Override
    public void close() {
        for (Runnable task : beforeClose) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Giving back a database before the pools close failed: {}", e.toString());
            }
        }
        // A pool still being prepared (its class's tests were all skipped, or the run was cut short) is waited for
        // within its close timeout and closed too: what it made must not outlive the run.
        List<TestDatabasePool> closed = new CopyOnWriteArrayList<>();
        List<Thread> closers = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (Map.Entry<PoolKey, Lazy<TestDatabasePool>> entry : pools.entrySet()) {
            Duration timeout = closeTimeouts.get(entry.getKey());
            Thread closer = new Thread(
                    () -> {
                        TestDatabasePool pool = entry.getValue().awaitIfStarted(timeout);
                        if (pool != null) {
                            pool.close();
                            closed.add(pool);
                        }
                    },
                    "isolatedpg-close-" + closers.size());
            closer.setDaemon(true);
            closer.start();
            closers.add(closer);
            longest = max(longest, timeout.multipliedBy(2));
        }
        long deadline = System.nanoTime() + longest.plusSeconds(1).toNanos();
        for (Thread closer : closers) {
            try {
                closer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<String> lines = closed.stream()
                .filter(pool -> pool.statistics().leases() > 0)
                .map(pool -> "  " + pool.statistics().summary())
                .toList();
        PostgresServer running = server.awaitIfStarted(Duration.ofSeconds(10));
        if (running != null) {
            if (!lines.isEmpty()) {
                LOG.info(
                        "isolated-postgres report ({}; server ready in {} ms, first test database in {} ms):\n{}{}",
                        running.description(),
                        serverMillis,
                        firstLeaseMillis.get(),
                        String.join("\n", lines),
                        kept(running.keptDatabases()));
            }
            running.close();
        }
    }

    /** The report's lines on the databases of failed tests kept for a look; empty when none is. */
    private static String kept(List<KeptDatabase> kept) {
        if (kept.isEmpty()) {
            return "";
        }
        StringBuilder lines = new StringBuilder("\n  databases of failed tests, kept until the next run drops them:");
        for (KeptDatabase database : kept) {
            lines.append("\n    ").append(database.test()).append(": ").append(database.psql());
        }
        kept.stream()
                .map(KeptDatabase::access)
                .distinct()
                .forEach(access -> lines.append("\n    (").append(access).append(")"));
        kept.stream()
                .map(KeptDatabase::afterRun)
                .filter(afterRun -> !afterRun.isEmpty())
                .distinct()
                .forEach(afterRun -> lines.append("\n    ").append(afterRun));
        return lines.toString();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
