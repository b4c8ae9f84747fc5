package org.isolatedpg.server.internal.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.isolatedpg.core.internal.source.BuildTarget;
import org.isolatedpg.core.internal.source.FingerprintInputs;
import org.isolatedpg.core.internal.source.SourceFailedException;
import org.isolatedpg.core.internal.source.TemplateSource;

/**
 * A template the client builds itself, as with IntegreSQL: the engine creates the build database and hands it over
 * ({@link #started()}), the client migrates it over its own connections, then finalizes ({@link #finish()}) or
 * discards ({@link #abandon()}) it. The build runs inside pool-core's, so it gets its guarantees: one build per
 * hash across processes, a temporary name, sealed before it takes the template's name, dropped when abandoned.
 *
 * <p>The client's hash is all the fingerprint knows of what it builds (with the server's major version and the
 * clones' privileges, which pool-core adds).
 */
final class ClientBuild implements TemplateSource {

    private final String hash;
    private final Duration timeout;
    private final CompletableFuture<BuildTarget> started = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    /**
     * @param timeout how long the client may take from initialize to finalize; then the build is abandoned, so a
     *     client that vanished leaves no build behind
     */
    ClientBuild(String hash, Duration timeout) {
        this.hash = hash;
        this.timeout = timeout;
    }

    /** Completes with the build database once the client may connect to it. */
    CompletableFuture<BuildTarget> started() {
        return started;
    }

    /** The client finalized: the build goes on to seal the template. */
    void finish() {
        finished.complete(null);
    }

    /** The client discarded the template (or the engine closes): the build fails and its database is dropped. */
    void abandon() {
        finished.completeExceptionally(new IllegalStateException("the client discarded template " + hash));
    }

    @Override
    public String description() {
        return "the template the client initialized with hash " + hash;
    }

    @Override
    public String stepNoun() {
        return "client's build";
    }

    @Override
    public void fingerprint(FingerprintInputs inputs, ClassLoader loader) {
        inputs.text("IntegreSQL template hash " + hash);
    }

    /** The client may take minutes: other hashes' builds must not wait for it (see TemplateSource#tracksRoles). */
    @Override
    public boolean tracksRoles() {
        return false;
    }

    @Override
    public int apply(BuildTarget target) {
        started.complete(target);
        try {
            finished.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SourceFailedException(null, e.getCause());
        } catch (TimeoutException e) {
            throw new SourceFailedException(
                    null,
                    new IllegalStateException("The client did not finalize template " + hash + " within " + timeout
                            + " of initializing it; the build was abandoned."));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceFailedException(null, e);
        }
        endClientSessions(target);
        return 1;
    }

    /**
     * Ends the sessions the client left on the build database: the template cannot be renamed, nor cloned, while
     * anyone is connected (IntegreSQL asks clients to disconnect first; a client's pool that stays open would make
     * every clone fail).
     */
    private static void endClientSessions(BuildTarget target) {
        try (Connection connection = target.connect();
                Statement statement = connection.createStatement()) {
            for (int attempt = 0; attempt < 50; attempt++) {
                try (ResultSet rows =
                        statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                    rows.next();
                    if (rows.getInt(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(20); // a terminated backend takes a moment to leave pg_stat_activity
            }
        } catch (SQLException e) {
            throw new SourceFailedException(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceFailedException(null, e);
        }
    }
}
