package org.isolatedpg.server.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.isolatedpg.core.internal.pool.ClonePool;
import org.isolatedpg.core.internal.pool.Lease;
import org.isolatedpg.core.internal.template.TemplateBuilder.Template;

/**
 * One client hash: its template (being built by the client, or found built), its pool of clones once the template is
 * sealed, and the test databases handed out, by id, in the order they were handed out (IntegreSQL's dirty queue,
 * recycled oldest first).
 */
final class HashPool {

    /** A test database handed to a client: {@code expires} is null without a lease (IntegreSQL's behaviour). */
    record Handed(int id, Lease lease, Instant handedAt, Instant expires) {}

    private final String hash;
    private final Template.Source source;
    private final ClientBuild build;
    private final Instant created = Instant.now();
    private final CompletableFuture<ClonePool> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    private final Map<Integer, Handed> handed = new LinkedHashMap<>(); // guarded by this
    private int lastId; // guarded by this
    private boolean discarded; // guarded by this
    private volatile Template template;

    /**
     * @param build the client's build, or null when the template is looked for built (after a restart)
     */
    HashPool(String hash, Template.Source source, ClientBuild build) {
        this.hash = hash;
        this.source = source;
        this.build = build;
    }

    String hash() {
        return hash;
    }

    Template.Source source() {
        return source;
    }

    /** The client's build, or null when the template was looked for built. */
    ClientBuild build() {
        return build;
    }

    Instant created() {
        return created;
    }

    /** The sealed template, once prepared; null before. */
    Template template() {
        return template;
    }

    /** Completes with the pool once the template is sealed, or with the reason it never will be. */
    CompletableFuture<ClonePool> ready() {
        return ready;
    }

    /** The pool is open; false (and nothing recorded) when the hash was discarded meanwhile. */
    synchronized boolean opened(Template sealed, ClonePool clones) {
        if (discarded) {
            return false;
        }
        this.template = sealed;
        ready.complete(clones);
        return true;
    }

    /** The preparing thread is done, whatever came of it: what it made is in use or dropped. */
    void settle() {
        settled.complete(null);
    }

    /** Waits up to {@code timeout} for the preparing thread to be done; false when it was not. */
    boolean awaitSettled(Duration timeout) {
        try {
            settled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void failed(RuntimeException failure) {
        ready.completeExceptionally(failure);
    }

    /**
     * Marks the hash discarded: a build in progress is abandoned, waiters get {@link ApiException.Kind#GONE}. Returns
     * the test databases still handed out.
     */
    synchronized List<Handed> discard() {
        discarded = true;
        if (build != null) {
            build.abandon();
        }
        ready.completeExceptionally(new ApiException(
                ApiException.Kind.GONE, "Template " + hash + " was discarded while this request waited for it."));
        List<Handed> out = new ArrayList<>(handed.values());
        handed.clear();
        return out;
    }

    /**
     * The pool, waiting up to {@code wait} for the client to finalize the template.
     *
     * @throws ApiException GONE when discarded, UNAVAILABLE when not finalized in time, FAILED when the build failed
     */
    ClonePool awaitReady(Duration wait) {
        try {
            return ready.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(
                    ApiException.Kind.UNAVAILABLE,
                    "Template " + hash + " was not finalized within " + wait
                            + " (INTEGRESQL_TEMPLATE_FINALIZE_TIMEOUT_MS):"
                            + " the client that initialized it has not called PUT /api/v1/templates/" + hash + " yet.",
                    Map.of("template", "initializing"),
                    null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw new ApiException(
                    ApiException.Kind.FAILED,
                    "Template " + hash + " could not be prepared: "
                            + e.getCause().getMessage(),
                    null,
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.Kind.UNAVAILABLE, "Interrupted while waiting for template " + hash);
        }
    }

    /** Records a lease as handed out; returns it with its id. */
    synchronized Handed hand(Lease lease, Duration leaseFor) {
        Instant now = Instant.now();
        Handed out = new Handed(++lastId, lease, now, leaseFor == null ? null : now.plus(leaseFor));
        handed.put(out.id(), out);
        return out;
    }

    /**
     * Takes back the test database {@code id}; null when it is not handed out (given back already: a no-op, as in
     * IntegreSQL).
     *
     * @throws ApiException FAILED for an id never handed out (IntegreSQL answers 500 for it)
     */
    synchronized Handed takeBack(int id) {
        Handed out = handed.remove(id);
        if (out == null && (id < 1 || id > lastId)) {
            throw new ApiException(
                    ApiException.Kind.FAILED,
                    "No test database " + id + " was handed out for template " + hash + " (the last id is " + lastId
                            + ").");
        }
        return out;
    }

    /** Takes back the leases that expired by {@code now}. */
    synchronized List<Handed> takeExpired(Instant now) {
        List<Handed> expired = new ArrayList<>();
        handed.values().removeIf(out -> {
            boolean due = out.expires() != null && !now.isBefore(out.expires());
            if (due) {
                expired.add(out);
            }
            return due;
        });
        return expired;
    }

    /** How many test databases are handed out without a lease. */
    synchronized int unleased() {
        return (int)
                handed.values().stream().filter(out -> out.expires() == null).count();
    }

    /** The test databases handed out without a lease for at least {@code age}, oldest first. */
    synchronized List<Handed> unleasedFor(Duration age, Instant now) {
        List<Handed> old = new ArrayList<>();
        for (Handed out : handed.values()) {
            if (out.expires() == null && !now.isBefore(out.handedAt().plus(age))) {
                old.add(out);
            }
        }
        return old;
    }

    /** How many test databases are handed out. */
    synchronized int handedOut() {
        return handed.size();
    }
}
