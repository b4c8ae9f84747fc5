package org.isolatedpg.core;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.isolatedpg.core.internal.pool.ClonePool;
import org.isolatedpg.core.internal.template.Fingerprint;
import org.isolatedpg.core.internal.template.TemplateBuilder;
import org.isolatedpg.core.internal.template.TemplateBuilder.Template;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm pool of clones of one template. Opening it fingerprints the migrations, builds the template (or finds it
 * built) and starts cloning in the background; {@link #lease()} then hands out a ready clone in about the time of a
 * queue hand-over.
 *
 * <pre>{@code
 * try (TestDatabasePool pool = TestDatabasePool.open(server, TemplateSpec.of("classpath:db/migration"), settings);
 *      TestDatabase db = pool.lease()) {
 *     try (Connection connection = db.dataSource().getConnection()) { ... }
 * }
 * }</pre>
 *
 * <p>Intended for test-framework integrations and for tests that use pool-core directly. Thread-safe: any number of
 * threads may lease at once.
 *
 * @since 0.1
 */
public final class TestDatabasePool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestDatabasePool.class);

    /** Big migrations may take long, but waiting for another pool's build never lasts forever. */
    private static final Duration BUILD_WAIT = Duration.ofMinutes(10);

    private final ClonePool clones;
    private final Template template;

    private final PostgresServer server;

    private TestDatabasePool(PostgresServer server, ClonePool clones, Template template) {
        this.server = server;
        this.clones = clones;
        this.template = template;
    }

    /**
     * Opens a pool on {@code server}, reading {@code classpath:} migrations through the thread's context class loader.
     *
     * @throws TemplateBuildException when the migrations fail; nothing half-built is left
     */
    public static TestDatabasePool open(PostgresServer server, TemplateSpec spec, PoolSettings settings) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return open(server, spec, settings, loader != null ? loader : TestDatabasePool.class.getClassLoader());
    }

    /** Opens a pool on {@code server}, reading {@code classpath:} migrations through {@code loader}. */
    public static TestDatabasePool open(
            PostgresServer server, TemplateSpec spec, PoolSettings settings, ClassLoader loader) {
        String fingerprint = Fingerprint.of(spec, loader, server.majorVersion());
        Template template = buildTemplate(server, spec, fingerprint, loader);
        ClonePool clones = new ClonePool(
                server.server(),
                server.databases(),
                server.connectionPools(),
                template,
                settings,
                server.session(),
                server::nextDatabaseNumber);
        clones.start();
        LOG.info(
                "isolatedpg [{}] - template {} {} in {} ms on {}; keeping {} clones ready ({})",
                TemplateBuilder.shortId(fingerprint),
                template.name(),
                template.reused() ? "reused" : "built",
                template.millis(),
                server.description(),
                settings.size().value(),
                settings.cloneStrategy().value().name().toLowerCase(java.util.Locale.ROOT));
        return new TestDatabasePool(server, clones, template);
    }

    /**
     * Builds (or finds) the template, marked as used by this attachment first, so that no other JVM's collector drops
     * it from under us. Within this attachment one pool at a time builds a fingerprint; across JVMs,
     * {@link TemplateBuilder} serialises builds on the server.
     */
    private static Template buildTemplate(
            PostgresServer server, TemplateSpec spec, String fingerprint, ClassLoader loader) {
        ReentrantLock lock = server.buildLock(fingerprint);
        try {
            if (!lock.tryLock(BUILD_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IsolatedPostgresException("Gave up after " + BUILD_WAIT + " waiting for another pool to build"
                        + " template " + TemplateBuilder.shortId(fingerprint) + " on " + server.description());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IsolatedPostgresException(
                    "Interrupted while waiting to build template " + TemplateBuilder.shortId(fingerprint), e);
        }
        try {
            server.session().use(fingerprint);
            String builder = server.owner() + "_" + server.nextDatabaseNumber();
            Template template = new TemplateBuilder(server.server(), server.databases())
                    .build(spec, fingerprint, builder, loader, BUILD_WAIT);
            server.databases().markUsed(template.name());
            return template;
        } catch (SQLException e) {
            throw new IsolatedPostgresException(
                    "Could not mark template " + TemplateBuilder.shortId(fingerprint) + " as in use on "
                            + server.description(),
                    e);
        } catch (RuntimeException e) {
            stopUsing(server, fingerprint);
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private static void stopUsing(PostgresServer server, String fingerprint) {
        try {
            server.session().stopUsing(fingerprint);
        } catch (SQLException e) {
            LOG.debug("isolatedpg [{}] - could not release the template's use mark", fingerprint, e);
        }
    }

    /**
     * Leases a clone: a ready one at once, or the next one made, waiting up to
     * {@value ConfigKeys#POOL_ACQUIRE_TIMEOUT}.
     *
     * @throws PoolTimeoutException when none became ready in time; the message has the pool's state
     */
    public TestDatabase lease() {
        return clones.lease();
    }

    /** The template's fingerprint, 64 hex digits. */
    public String fingerprint() {
        return template.fingerprint();
    }

    /** The template's database name. */
    public String templateName() {
        return template.name();
    }

    /** What the pool has done so far. */
    public PoolStatistics statistics() {
        return clones.statistics();
    }

    /** The pool's state: {@code ready=…, leased=…, creating=…, recreating=…, waiting=…}. */
    public String snapshot() {
        return clones.snapshot();
    }

    /** Drops every clone of this pool, including those still leased. The template stays for the next run. */
    @Override
    public void close() {
        clones.close();
        try {
            server.databases().markUsed(template.name());
        } catch (SQLException e) {
            LOG.debug("isolatedpg [{}] - could not record the template's last use", template.fingerprint(), e);
        }
        stopUsing(server, template.fingerprint());
    }
}
