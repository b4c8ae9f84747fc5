package org.isolatedpg.junit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.TemplateBuildException;

/**
 * A value computed once, on a daemon thread of its own, outside any JUnit store lock; every caller, the first
 * included, waits for it with a timeout (a caller that gives up leaves the computation running for the next).
 *
 * <p>A failure that would recur — a broken migration, bad configuration — is remembered: every later caller gets it
 * again without recomputing (a broken migration is not rerun for every test). Any other failure (the server was down
 * or restarting, a session was terminated, a timeout) is not: the next caller tries again, after a backoff that
 * doubles from {@link #FIRST_BACKOFF} up to {@link #MAX_BACKOFF} while failures repeat.
 */
final class Lazy<T> {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    private final Callable<T> computation;
    private final String what;
    private final AtomicReference<Attempt<T>> attempt;

    /** One try at the computation, not to be started before {@code notBefore} (System.nanoTime()). */
    private record Attempt<T>(FutureTask<T> task, AtomicBoolean started, long notBefore, int failuresBefore) {

        static <T> Attempt<T> first(Callable<T> computation) {
            return new Attempt<>(new FutureTask<>(computation), new AtomicBoolean(), System.nanoTime(), 0);
        }

        Attempt<T> next(Callable<T> computation) {
            long backoff = Math.min(MAX_BACKOFF.toNanos(), FIRST_BACKOFF.toNanos() << Math.min(failuresBefore, 10));
            return new Attempt<>(
                    new FutureTask<>(computation),
                    new AtomicBoolean(),
                    System.nanoTime() + backoff,
                    failuresBefore + 1);
        }
    }

    Lazy(String what, Callable<T> computation) {
        this.what = what;
        this.computation = computation;
        this.attempt = new AtomicReference<>(Attempt.first(computation));
    }

    T get(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Attempt<T> current = attempt.get();
        try {
            long backoff = current.notBefore() - System.nanoTime();
            if (backoff > 0 && !current.started().get()) {
                TimeUnit.NANOSECONDS.sleep(Math.min(backoff, Math.max(0, deadline - System.nanoTime())));
            }
            run(current);
            return current.task().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof TemplateBuildException || cause instanceof InvalidConfigurationException)) {
                attempt.compareAndSet(current, current.next(computation));
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IsolatedPostgresException("Could not prepare " + what + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new IsolatedPostgresException(
                    "Gave up waiting for " + what + " after " + timeout + "; it goes on being prepared for the next"
                            + " test",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IsolatedPostgresException("Interrupted while waiting for " + what, e);
        }
    }

    /**
     * Starts the computation without waiting for it, unless it runs already, is done, or a failed attempt's backoff
     * has not passed (the next {@link #get} then waits it out).
     */
    void start() {
        Attempt<T> current = attempt.get();
        if (current.notBefore() <= System.nanoTime()) {
            run(current);
        }
    }

    private static <T> void run(Attempt<T> attempt) {
        if (attempt.started().compareAndSet(false, true)) {
            Thread thread = new Thread(attempt.task(), "isolatedpg-prepare");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * The value once its computation, if started, has ended, waiting up to {@code timeout}; null if it was never
     * started, failed, or is not done in time. For closing: what is being prepared is closed once it is ready.
     */
    T awaitIfStarted(Duration timeout) {
        Attempt<T> current = attempt.get();
        if (!current.started().get()) {
            return null;
        }
        try {
            return current.task().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The value if it was computed successfully, without waiting. */
    T getIfReady() {
        FutureTask<T> current = attempt.get().task();
        if (!current.isDone()) {
            return null;
        }
        try {
            return current.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
