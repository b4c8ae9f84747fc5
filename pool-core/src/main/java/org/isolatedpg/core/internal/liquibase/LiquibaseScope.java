package org.isolatedpg.core.internal.liquibase;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import liquibase.Scope;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Runs Liquibase work in a Liquibase {@link Scope} of its own, on a thread of its own, so that nothing of it reaches a
 * user's own Liquibase in the same JVM, and two templates can build at once.
 *
 * <p>Liquibase keeps its state in scopes: settings, the resource accessor, the log service and its "singletons" (the
 * change log history service, the executors), which a scope looks up in its root. Its scope manager is an
 * inheritable thread-local: before 4.32 a new thread shares the manager of the thread that started it, so two threads
 * entering scopes at once corrupt each other's current scope. Here every run gets a new thread with a manager of its
 * own ({@link RootedScopeManager}), and a root scope it holds alone while it runs: the update command resets the change
 * log history services of its root when it ends, which would disturb a concurrent update sharing that root. Roots are
 * kept for reuse by later runs with the same class loader (a few, {@value #IDLE_ROOTS_KEPT} at most): a root's
 * singletons (the change, SQL generator and data type factories) take Liquibase most of a second to fill. The caller's
 * thread and its scopes are never touched.
 *
 * <p>The run's scope turns off Liquibase's anonymous analytics (4.30+ sends them to liquibase.com, a network call this
 * library must never make), sends its console output (update summary) and its logging to SLF4J at DEBUG and TRACE
 * ({@link Slf4jLogService}), reads resources through the given accessor and loads classes (services, custom changes)
 * through the given class loader, or Liquibase's own when that one cannot see Liquibase.
 */
final class LiquibaseScope {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final int IDLE_ROOTS_KEPT = 4;
    private static final Deque<IdleRoot> IDLE_ROOTS = new ArrayDeque<>();

    /** A root scope no run holds, and the class loader its services were found through. */
    private record IdleRoot(ClassLoader loader, Scope root) {}

    /** Liquibase's work: what {@link Scope#child} runs. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws Exception;
    }

    private LiquibaseScope() {}

    /**
     * Runs the work and waits for it. The resource accessor is made in the run's thread: making one may use a scope.
     *
     * @throws Exception what the work threw
     * @throws InterruptedException when this thread was interrupted while waiting; the run is interrupted too (a
     *     statement in PostgreSQL runs on until the half-built database is dropped)
     */
    static <T> T run(ClassLoader loader, Supplier<ResourceAccessor> accessor, Work<T> work) throws Exception {
        ClassLoader scopeLoader = seesLiquibase(loader) ? loader : Scope.class.getClassLoader();
        FutureTask<T> task = new FutureTask<>(() -> {
            Scope.setScopeManager(new RootedScopeManager(takeIdleRoot(scopeLoader)));
            Scope root = Scope.getCurrentScope();
            try {
                return Scope.child(values(scopeLoader, accessor.get()), (Scope.ScopedRunnerWithReturn<T>) work::run);
            } finally {
                putIdleRoot(new IdleRoot(scopeLoader, root));
            }
        });
        Thread thread = new Thread(task, "isolatedpg-liquibase-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.setContextClassLoader(scopeLoader);
        thread.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            thread.interrupt();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static Scope takeIdleRoot(ClassLoader loader) {
        synchronized (IDLE_ROOTS) {
            for (Iterator<IdleRoot> idle = IDLE_ROOTS.iterator(); idle.hasNext(); ) {
                IdleRoot candidate = idle.next();
                if (candidate.loader() == loader) {
                    idle.remove();
                    return candidate.root();
                }
            }
            return null;
        }
    }

    private static void putIdleRoot(IdleRoot root) {
        synchronized (IDLE_ROOTS) {
            IDLE_ROOTS.addFirst(root);
            while (IDLE_ROOTS.size() > IDLE_ROOTS_KEPT) {
                IDLE_ROOTS.removeLast();
            }
        }
    }

    private static Map<String, Object> values(ClassLoader loader, ResourceAccessor accessor) {
        Map<String, Object> values = new HashMap<>();
        values.put(Scope.Attr.classLoader.name(), loader);
        values.put(Scope.Attr.resourceAccessor.name(), accessor);
        values.put(Scope.Attr.logService.name(), new Slf4jLogService());
        values.put(Scope.Attr.ui.name(), new LoggerUIService());
        // Liquibase draws one per root, and roots are reused: each run is a deployment of its own in DATABASECHANGELOG.
        String millis = String.valueOf(System.currentTimeMillis());
        values.put(Scope.Attr.deploymentId.name(), millis.substring(Math.max(0, millis.length() - 10)));
        // Configuration keys, read from scope values before system properties and the environment; spelled out, as
        // their constants moved between Liquibase versions.
        values.put("liquibase.analytics.enabled", Boolean.FALSE);
        values.put("liquibase.showBanner", Boolean.FALSE);
        return values;
    }

    private static boolean seesLiquibase(ClassLoader loader) {
        try {
            return Class.forName(Scope.class.getName(), false, loader) == Scope.class;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
