package org.isolatedpg.junit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.isolatedpg.core.IsolatedPostgresException;

/**
 * A value computed once, by the first thread that asks, outside any JUnit store lock; other threads wait for it with
 * a timeout. A failure is remembered: every later caller gets it again without recomputing (a broken migration is not
 * rerun for every test).
 */
final class Lazy<T> {

    private final FutureTask<T> task;
    private final String what;

    Lazy(String what, Callable<T> computation) {
        this.what = what;
        this.task = new FutureTask<>(computation);
    }

    T get(Duration timeout) {
        task.run(); // computes on the first call; returns at once when another thread already did or does
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IsolatedPostgresException("Could not prepare " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IsolatedPostgresException("Gave up waiting for " + what + " after " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IsolatedPostgresException("Interrupted while waiting for " + what, e);
        }
    }

    /** The value if it was computed successfully, without waiting. */
    T getIfReady() {
        if (!task.isDone()) {
            return null;
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
