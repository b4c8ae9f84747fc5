package org.isolatedpg.server.internal.engine;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.isolatedpg.core.PoolTimeoutException;
import org.isolatedpg.core.Privileges;
import org.isolatedpg.core.ServerSettings;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.internal.attachment.Attachment;
import org.isolatedpg.core.internal.hikari.ConnectionPools;
import org.isolatedpg.core.internal.pool.ClonePool;
import org.isolatedpg.core.internal.pool.DaemonThreads;
import org.isolatedpg.core.internal.pool.Lease;
import org.isolatedpg.core.internal.pool.PoolState;
import org.isolatedpg.core.internal.source.BuildTarget;
import org.isolatedpg.core.internal.source.TemplateSource;
import org.isolatedpg.core.internal.sql.SqlStates;
import org.isolatedpg.core.internal.template.Fingerprint;
import org.isolatedpg.core.internal.template.TemplateBuilder;
import org.isolatedpg.core.internal.template.TemplateBuilder.Template;
import org.isolatedpg.core.internal.template.Templates;
import org.isolatedpg.server.internal.engine.HashPool.Handed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IntegreSQL's operations on pool-core's engine: templates the clients build, keyed by their hash; a pool of clones
 * per template; test databases handed out by id and taken back (unlocked, recreated, expired or recycled oldest
 * first). The only part of the server that reaches into pool-core's internals.
 *
 * <p>Templates are ordinary pool-core templates (sealed, named by fingerprint, labelled with the client's hash in
 * their comment), so they outlive the server: after a restart a known hash is found built.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    /** IntegreSQL accepts any hash; ours go into comments and messages, so they are kept to what hashes are made of. */
    /** How long a test database given back waits for its client's sessions to end (see awaitClientsGone). */
    private static final Duration CLIENTS_GONE_WAIT = Duration.ofMillis(250);

    private static final Pattern HASH = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final Attachment attachment;
    private final Templates templates;
    private final EngineSettings settings;
    private final Privileges privileges;
    private final Map<String, HashPool> pools = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;

    private Engine(Attachment attachment, EngineSettings settings) {
        this.attachment = attachment;
        this.templates = new Templates(attachment);
        this.settings = settings;
        this.privileges = attachment.privileges(settings.pool().privileges());
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(1, DaemonThreads.named("isolatedpg-server-reaper"));
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.reaper = executor;
    }

    /** Starts (or attaches to) the PostgreSQL server and begins serving. */
    public static Engine start(ServerSettings server, EngineSettings settings) {
        Engine engine = new Engine(Attachment.start(server), settings);
        engine.reaper.scheduleWithFixedDelay(engine::reap, 250, 250, TimeUnit.MILLISECONDS);
        return engine;
    }

    /** {@code embedded PostgreSQL 18.6 on 127.0.0.1:54012}. */
    public String description() {
        return attachment.server().description();
    }

    /**
     * Creates the build database of {@code hash} for the client to migrate, and returns how to connect to it.
     *
     * @throws ApiException LOCKED when the hash is being built or is built already (also by an earlier run)
     */
    public DatabaseConfig initialize(String hash) {
        checkHash(hash);
        ClientBuild build = new ClientBuild(hash, settings.buildTimeout());
        HashPool fresh = new HashPool(hash, source(hash, build), build);
        if (pools.putIfAbsent(hash, fresh) != null) {
            throw locked(hash);
        }
        prepareInBackground(fresh);
        CompletableFuture<Object> first = CompletableFuture.anyOf(build.started(), fresh.ready());
        try {
            first.get(settings.finalizeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw locked(hash); // another process builds it: the client goes on to ask for test databases
        } catch (ExecutionException e) {
            throw failure(hash, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.Kind.UNAVAILABLE, "Interrupted while initializing " + hash);
        }
        if (!build.started().isDone()) {
            throw locked(hash); // found built: after a restart, or by another process
        }
        BuildTarget target = build.started().join();
        LOG.info("isolatedpg server - template {}: initialized, the client builds it", hash);
        return DatabaseConfig.of(target.jdbcUrl(), target.user(), target.password());
    }

    /**
     * Finalizes the template of {@code hash}: seals it and starts its pool. Answers once test databases can be
     * cloned; also when it was finalized already.
     *
     * @throws ApiException NOT_FOUND for an unknown hash
     */
    public void finalizeTemplate(String hash) {
        checkHash(hash);
        HashPool pool = pools.get(hash);
        if (pool == null) {
            if (builtOnServer(hash)) {
                return;
            }
            throw notFound(hash);
        }
        if (pool.build() != null) {
            pool.build().finish();
        }
        pool.awaitReady(settings.finalizeTimeout());
        LOG.info("isolatedpg server - template {}: finalized", hash);
    }

    /**
     * Discards the template of {@code hash}: its build is abandoned, or its test databases and the template dropped.
     *
     * @throws ApiException NOT_FOUND for an unknown hash
     */
    public void discard(String hash) {
        checkHash(hash);
        HashPool pool = pools.remove(hash);
        if (pool == null) {
            String name = templateName(source(hash, null));
            try {
                if (!attachment.databases().exists(name)) {
                    throw notFound(hash);
                }
                attachment.databases().dropTemplate(name);
            } catch (SQLException e) {
                throw serverFailure("discarding template " + hash, e);
            }
            return;
        }
        shut(pool, true);
        LOG.info("isolatedpg server - template {}: discarded", hash);
    }

    /** Forgets every template and drops them with their test databases (IntegreSQL's reset). */
    public void reset() {
        for (String hash : List.copyOf(pools.keySet())) {
            HashPool pool = pools.remove(hash);
            if (pool != null) {
                shut(pool, true);
            }
        }
        try {
            for (TemplateView built : builtTemplates().values()) {
                attachment.databases().dropTemplate(built.database());
            }
        } catch (SQLException e) {
            throw serverFailure("dropping the templates", e);
        }
        LOG.info("isolatedpg server - every template discarded");
    }

    /**
     * Hands out a test database of {@code hash}: waits for the template to be finalized, then for a ready clone.
     *
     * @param leaseFor how long the client may keep it before it is taken back and recreated; null to keep it until
     *     given back or recycled, as with IntegreSQL
     * @throws ApiException NOT_FOUND for an unknown hash, GONE when discarded while waiting, UNAVAILABLE with the
     *     pool's state when none became ready in time
     */
    public TestDatabaseGrant testDatabase(String hash, Duration leaseFor) {
        checkHash(hash);
        HashPool pool = pools.get(hash);
        if (pool == null) {
            pool = openBuilt(hash).orElseThrow(() -> notFound(hash));
        }
        ClonePool clones = pool.awaitReady(settings.finalizeTimeout());
        Lease lease;
        try {
            lease = clones.lease();
        } catch (PoolTimeoutException e) {
            throw new ApiException(
                    ApiException.Kind.UNAVAILABLE, e.getMessage(), stateOf(clones.state(), pool), e.getCause());
        } catch (RuntimeException e) {
            throw failure(hash, e);
        }
        Handed handed = pool.hand(lease, leaseFor);
        HashPool served = pool;
        reaper.execute(() -> recycle(served));
        return new TestDatabaseGrant(
                handed.id(), hash, DatabaseConfig.of(lease.jdbcUrl(), lease.username(), lease.password()));
    }

    /**
     * Takes back test database {@code id}: it goes back to the pool when its test left it untouched (pool-core checks
     * it: a client's promise is not needed, nor trusted), and is dropped and replaced otherwise. The client's
     * connections to it are ended. Giving one back twice is a no-op.
     *
     * @throws ApiException NOT_FOUND for an unknown hash, FAILED for an id never handed out
     */
    public void giveBack(String hash, int id) {
        checkHash(hash);
        HashPool pool = pools.get(hash);
        if (pool == null) {
            throw notFound(hash);
        }
        Handed handed = pool.takeBack(id);
        if (handed != null) {
            awaitClientsGone(handed.lease().name());
            release(pool, handed);
        }
    }

    /**
     * Waits a moment for the client's sessions on a test database to end: a client that closed its connections just
     * before giving the database back leaves backends that take a few milliseconds to exit, and pool-core drops,
     * unchecked, a database someone is connected to.
     */
    private void awaitClientsGone(String database) {
        long deadline = System.nanoTime() + CLIENTS_GONE_WAIT.toNanos();
        try {
            while (!clientConnections(database).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (SQLException e) {
            LOG.debug("isolatedpg server - could not look for sessions on {}", database, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The client sessions on {@code database}: all but pool-core's own. */
    private List<String> clientConnections(String database) throws SQLException {
        return attachment.databases().foreignConnections(database, ConnectionPools.APPLICATION_NAME);
    }

    /** What the server holds: every template it knows, in memory or on the server, by hash. */
    public List<TemplateView> templates() {
        Map<String, TemplateView> views;
        try {
            views = builtTemplates();
        } catch (SQLException e) {
            throw serverFailure("listing the templates", e);
        }
        for (HashPool pool : pools.values()) {
            TemplateView built = views.get(pool.hash());
            Map<String, Object> tests = testsOf(pool);
            views.put(
                    pool.hash(),
                    built != null
                            ? built.with(tests)
                            : new TemplateView(
                                    pool.hash(),
                                    pool.template() != null ? pool.template().name() : null,
                                    pool.ready().isDone() ? "ready" : "initializing",
                                    null,
                                    pool.created(),
                                    null,
                                    tests));
        }
        return new ArrayList<>(views.values());
    }

    private Map<String, Object> testsOf(HashPool pool) {
        ClonePool clones = pool.ready().getNow(null);
        if (clones == null || pool.ready().isCompletedExceptionally()) {
            return Map.of();
        }
        return stateOf(clones.state(), pool);
    }

    private static Map<String, Object> stateOf(PoolState state, HashPool pool) {
        Map<String, Object> tests = new LinkedHashMap<>();
        tests.put("ready", state.ready());
        tests.put("handedOut", pool.handedOut());
        tests.put("returning", state.returning());
        tests.put("creating", state.creating());
        tests.put("dropping", state.dropping());
        tests.put("waiting", state.waiting());
        return tests;
    }

    /** The sealed templates on the server that carry a client's hash, by hash. */
    private Map<String, TemplateView> builtTemplates() throws SQLException {
        Map<String, TemplateView> views = new LinkedHashMap<>();
        for (TemplateCatalog.Entry entry : TemplateCatalog.read(attachment)) {
            views.put(
                    entry.hash(),
                    new TemplateView(
                            entry.hash(),
                            entry.database(),
                            "ready",
                            entry.sizeBytes(),
                            entry.created(),
                            entry.lastUsed(),
                            Map.of()));
        }
        return views;
    }

    /** Runs the reaper's rounds: expired leases, then IntegreSQL's recycling of the oldest handed out. */
    private void reap() {
        Instant now = Instant.now();
        for (HashPool pool : pools.values()) {
            try {
                for (Handed expired : pool.takeExpired(now)) {
                    LOG.info(
                            "isolatedpg server - template {}: the lease of test database {} ({}) expired; its"
                                    + " connections are ended and it is recreated",
                            pool.hash(),
                            expired.id(),
                            expired.lease().name());
                    release(pool, expired);
                }
                recycle(pool);
            } catch (RuntimeException e) {
                LOG.debug("isolatedpg server - reaping {} failed; trying again", pool.hash(), e);
            }
        }
    }

    /**
     * Recreates, oldest first, test databases handed out without a lease beyond IntegreSQL's cap (the pool's maximum
     * less the clones it keeps ready), skipping those a client is still connected to and those younger than the
     * minimal lifetime.
     */
    private synchronized void recycle(HashPool pool) {
        int excess = pool.unleased()
                - (settings.maxPoolSize() - settings.pool().size().value());
        if (excess <= 0) {
            return;
        }
        for (Handed old : pool.unleasedFor(settings.minimalLifetime(), Instant.now())) {
            if (excess <= 0) {
                return;
            }
            try {
                if (!clientConnections(old.lease().name()).isEmpty()) {
                    continue; // in use: IntegreSQL waits for it too
                }
            } catch (SQLException e) {
                LOG.debug(
                        "isolatedpg server - could not tell whether {} is in use",
                        old.lease().name(),
                        e);
                continue;
            }
            if (pool.takeBack(old.id()) != null) {
                LOG.debug("isolatedpg server - template {}: recycling test database {}", pool.hash(), old.id());
                release(pool, old);
                excess--;
            }
        }
    }

    private void release(HashPool pool, Handed handed) {
        ClonePool clones = pool.ready().getNow(null);
        if (clones != null) {
            clones.release(handed.lease());
        }
    }

    /** The pool of a hash whose template is on the server (built before a restart), opening; empty if none is. */
    private Optional<HashPool> openBuilt(String hash) {
        if (!builtOnServer(hash)) {
            return Optional.empty();
        }
        HashPool fresh = new HashPool(hash, source(hash, null), null);
        HashPool existing = pools.putIfAbsent(hash, fresh);
        if (existing != null) {
            return Optional.of(existing);
        }
        prepareInBackground(fresh);
        return Optional.of(fresh);
    }

    private boolean builtOnServer(String hash) {
        try {
            return attachment.databases().isSealedTemplate(templateName(source(hash, null)));
        } catch (SQLException e) {
            throw serverFailure("looking for template " + hash, e);
        }
    }

    /**
     * Prepares a hash's template on a thread of its own (it waits for the client's build) and opens its pool. A
     * template found built, without the client's build, is only looked for: it is never built empty.
     */
    private void prepareInBackground(HashPool pool) {
        Thread thread = new Thread(
                () -> {
                    try {
                        prepare(pool);
                    } finally {
                        pool.settle();
                    }
                },
                "isolatedpg-server-template-" + pool.hash());
        thread.setDaemon(true);
        thread.start();
    }

    private void prepare(HashPool pool) {
        Template template;
        try {
            template = templates.prepare(pool.source());
        } catch (RuntimeException e) {
            pools.remove(pool.hash(), pool);
            pool.failed(e);
            return;
        }
        ClonePool clones = null;
        try {
            if (!template.reused()) {
                TemplateCatalog.label(attachment, template.name(), pool.hash());
            }
            clones = new ClonePool(attachment, templates, template, settings.pool());
            clones.start();
        } catch (SQLException e) {
            abandon(pool, template, clones, serverFailure("labelling the template", e));
            return;
        } catch (RuntimeException e) {
            abandon(pool, template, clones, e);
            return;
        }
        if (!pool.opened(template, clones)) { // discarded while it was being prepared
            clones.close(settings.pool().closeTimeout().value());
            templates.release(template);
            dropTemplate(template.name());
        }
    }

    /** Undoes a preparation that failed after the template was sealed; the template stays for the next try. */
    private void abandon(HashPool pool, Template template, ClonePool clones, RuntimeException failure) {
        if (clones != null) {
            clones.close(settings.pool().closeTimeout().value());
        }
        templates.release(template);
        pools.remove(pool.hash(), pool);
        pool.failed(failure);
    }

    /** Ends a hash's pool: its build abandoned, its clones dropped; with {@code drop}, its template too. */
    private void shut(HashPool pool, boolean drop) {
        List<Handed> handedOut = pool.discard();
        ClonePool clones = null;
        try {
            clones = pool.ready().getNow(null);
        } catch (RuntimeException e) {
            // failed or discarded before it opened: nothing was cloned
        }
        if (clones == null) {
            // the preparing thread drops what it made, seeing the hash discarded: wait for it, so that closing
            // leaves no build database behind
            if (!pool.awaitSettled(settings.pool().closeTimeout().value())) {
                LOG.warn(
                        "isolatedpg server - template {} was still being prepared; the next start drops what is"
                                + " left",
                        pool.hash());
            }
            return;
        }
        for (Handed handed : handedOut) {
            clones.release(handed.lease());
        }
        clones.close(settings.pool().closeTimeout().value());
        templates.release(pool.template());
        if (drop) {
            dropTemplate(pool.template().name());
        }
    }

    private void dropTemplate(String name) {
        try {
            attachment.databases().dropTemplate(name);
        } catch (SQLException e) {
            LOG.warn("isolatedpg server - could not drop template {} ({})", name, SqlStates.describe(e));
        }
    }

    private Template.Source source(String hash, ClientBuild build) {
        List<TemplateSource> sources = List.of(build != null ? build : new ClientBuild(hash, Duration.ZERO));
        ClassLoader loader = Engine.class.getClassLoader();
        return new Template.Source(
                TemplateSpec.builder().build(),
                sources,
                Fingerprint.of(sources, loader, attachment.majorVersion(), privileges),
                privileges,
                false,
                loader,
                null);
    }

    private static String templateName(Template.Source source) {
        return TemplateBuilder.templateName(source.fingerprint());
    }

    private static void checkHash(String hash) {
        if (hash == null || hash.isEmpty()) {
            throw new ApiException(ApiException.Kind.BAD_REQUEST, "hash is required");
        }
        if (!HASH.matcher(hash).matches()) {
            throw new ApiException(
                    ApiException.Kind.BAD_REQUEST,
                    "The hash '" + hash + "' has characters a hash has not: use letters, digits, '.', '_' and '-'"
                            + " (such as the hex digest of the migrations), at most 200.");
        }
    }

    private static ApiException locked(String hash) {
        return new ApiException(ApiException.Kind.LOCKED, "template is already initialized: " + hash);
    }

    private static ApiException notFound(String hash) {
        return new ApiException(ApiException.Kind.NOT_FOUND, "template not found: " + hash);
    }

    private static ApiException failure(String hash, Throwable cause) {
        if (cause instanceof ApiException api) {
            return api;
        }
        return new ApiException(
                ApiException.Kind.FAILED,
                "Template " + hash + " could not be prepared: " + cause.getMessage(),
                null,
                cause);
    }

    private ApiException serverFailure(String doing, SQLException e) {
        return new ApiException(
                ApiException.Kind.UNAVAILABLE,
                "The server failed " + doing + " on " + description() + ": " + SqlStates.describe(e),
                null,
                e);
    }

    /**
     * Stops serving: builds are abandoned, every clone is dropped (also those handed out), the templates stay for
     * the next start, and the PostgreSQL server is left (an embedded one stopped unless other JVMs use it).
     */
    @Override
    public void close() {
        reaper.shutdownNow();
        for (String hash : List.copyOf(pools.keySet())) {
            HashPool pool = pools.remove(hash);
            if (pool != null) {
                shut(pool, false);
            }
        }
        attachment.close();
    }
}
