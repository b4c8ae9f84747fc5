package org.isolatedpg.junit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.TemplateBuildException;

/**
 * A value computed once, by the first thread that asks, outside any JUnit store lock; other threads wait for it with
 * a timeout. A failure that would recur — a broken migration, bad configuration — is remembered: every later caller
 * gets it again without recomputing (a broken migration is not rerun for every test). Any other failure (a server
 * that was down, a timeout) is not: the next caller tries again.
 */
final class Lazy<T> {

    private final Callable<T> computation;
    private final AtomicReference<FutureTask<T>> task;
    private final String what;

    Lazy(String what, Callable<T> computation) {
        this.what = what;
        this.computation = computation;
        this.task = new AtomicReference<>(new FutureTask<>(computation));
    }

    T get(Duration timeout) {
        FutureTask<T> current = task.get();
        current.run(); // computes on the first call; returns at once when another thread already did or does
        try {
            return current.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof TemplateBuildException || cause instanceof InvalidConfigurationException)) {
                task.compareAndSet(current, new FutureTask<>(computation));
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IsolatedPostgresException("Could not prepare " + what + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new IsolatedPostgresException("Gave up waiting for " + what + " after " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IsolatedPostgresException("Interrupted while waiting for " + what, e);
        }
    }

    /** The value if it was computed successfully, without waiting. */
    T getIfReady() {
        FutureTask<T> current = task.get();
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
