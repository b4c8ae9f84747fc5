package org.isolatedpg.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.isolatedpg.core.Configuration;
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
    private final Map<TemplateSpec, Lazy<TestDatabasePool>> pools = new ConcurrentHashMap<>();

    /** How long the server took to be ready for this run, and the first test to get its database. */
    private volatile long serverMillis = -1;

    private final AtomicLong firstLeaseMillis = new AtomicLong(-1);

    PoolRegistry(Configuration configuration) {
        this.server = new Lazy<>("the PostgreSQL server", () -> {
            long started = System.nanoTime();
            PostgresServer running = PostgresServer.start(configuration.serverSettings());
            serverMillis = (System.nanoTime() - started) / 1_000_000;
            return running;
        });
    }

    /** A test database of the spec's template, preparing the server and the template on first use. */
    TestDatabase lease(TemplateSpec spec, PoolSettings settings, ClassLoader loader) {
        long asked = System.nanoTime();
        PostgresServer running = server.get(PREPARE_TIMEOUT);
        TestDatabase database = pools.computeIfAbsent(
                        spec,
                        key -> new Lazy<>(
                                "the template of " + key, () -> TestDatabasePool.open(running, key, settings, loader)))
                .get(PREPARE_TIMEOUT)
                .lease();
        firstLeaseMillis.compareAndSet(-1, (System.nanoTime() - asked) / 1_000_000);
        return database;
    }

    @Override
    public void close() {
        List<String> lines = new ArrayList<>();
        for (Lazy<TestDatabasePool> lazy : pools.values()) {
            TestDatabasePool pool = lazy.getIfReady();
            if (pool != null) {
                pool.close();
                lines.add("  " + pool.statistics().summary());
            }
        }
        PostgresServer running = server.getIfReady();
        if (running != null) {
            if (!lines.isEmpty()) {
                LOG.info(
                        "isolated-postgres report ({}; server ready in {} ms, first test database in {} ms):\n{}",
                        running.description(),
                        serverMillis,
                        firstLeaseMillis.get(),
                        String.join("\n", lines));
            }
            running.close();
        }
    }
}
