package org.isolatedpg.core;

import java.util.Locale;
import org.isolatedpg.core.internal.pool.ClonePool;
import org.isolatedpg.core.internal.template.TemplateBuilder;
import org.isolatedpg.core.internal.template.TemplateBuilder.Template;
import org.isolatedpg.core.internal.template.Templates;
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

    private final ClonePool clones;
    private final Templates templates;
    private final PoolSettings settings;

    private TestDatabasePool(ClonePool clones, Templates templates, PoolSettings settings) {
        this.clones = clones;
        this.templates = templates;
        this.settings = settings;
    }

    /**
     * Opens a pool on {@code server}, reading {@code classpath:} migrations through the thread's context class loader.
     *
     * @throws TemplateBuildException when the migrations fail; nothing half-built is left
     * @throws ServerFailureException when the server failed while the template was prepared
     */
    public static TestDatabasePool open(PostgresServer server, TemplateSpec spec, PoolSettings settings) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return open(server, spec, settings, loader != null ? loader : TestDatabasePool.class.getClassLoader());
    }

    /** Opens a pool on {@code server}, reading {@code classpath:} migrations through {@code loader}. */
    public static TestDatabasePool open(
            PostgresServer server, TemplateSpec spec, PoolSettings settings, ClassLoader loader) {
        Templates templates = new Templates(server.attachment());
        Privileges privileges = server.attachment().privileges(settings.privileges());
        Template template = templates.prepare(
                spec, privileges, settings.incrementalTemplates().value(), loader);
        ClonePool clones;
        try {
            clones = new ClonePool(server.attachment(), templates, template, settings);
        } catch (RuntimeException e) {
            templates.release(template);
            throw e;
        }
        clones.start();
        LOG.info(
                "isolatedpg [{}] - template {} {} in {} ms on {}; keeping {} clones ready ({}, {} privileges)",
                TemplateBuilder.shortId(template.fingerprint()),
                template.name(),
                template.reused()
                        ? "reused"
                        : template.builtFrom() != null ? "built incrementally from " + template.builtFrom() : "built",
                template.millis(),
                server.description(),
                settings.size().value(),
                settings.cloneStrategy().value().name().toLowerCase(Locale.ROOT),
                privileges.name().toLowerCase(Locale.ROOT));
        return new TestDatabasePool(clones, templates, settings);
    }

    /**
     * Leases a clone: a ready one at once, or the next one made, waiting up to
     * {@value ConfigKeys#POOL_ACQUIRE_TIMEOUT}. The clone is checked to exist before it is handed out.
     *
     * @throws PoolTimeoutException when none became ready in time; the message has the pool's state
     * @throws TemplateBuildException when the template was found gone and could not be built again
     */
    public TestDatabase lease() {
        return new LeasedDatabase(clones, clones.lease());
    }

    /** The template's fingerprint, 64 hex digits. */
    public String fingerprint() {
        return clones.template().fingerprint();
    }

    /** The template's database name. */
    public String templateName() {
        return clones.template().name();
    }

    /** What the pool has done so far. */
    public PoolStatistics statistics() {
        return clones.statistics();
    }

    /** The pool's state: {@code ready=…, leased=…, returning=…, creating=…, dropping=…, waiting=…}. */
    public String snapshot() {
        return clones.snapshot();
    }

    /**
     * Drops every clone of this pool, including those still leased, waiting at most
     * {@value ConfigKeys#POOL_CLOSE_TIMEOUT} (the next start drops what is left). The template stays for the next
     * run.
     */
    @Override
    public void close() {
        clones.close(settings.closeTimeout().value());
        templates.release(clones.template());
    }
}
