package org.isolatedpg.junit.integration;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.isolatedpg.core.TestDatabase;

/**
 * Where the JUnit extension publishes each test class's run, and where another module that owns a test's database
 * (the Spring module, whose application context routes to it) tells the extension which database that is, so that a
 * test's {@code DataSource} and {@code TestDatabase} parameters are the same database its beans see.
 */
public final class TestRuns {

    private static final Map<Class<?>, TestClassRun> CLASSES = new ConcurrentHashMap<>();

    /**
     * The database bound to the calling thread. Per thread, because JUnit resolves a test's parameters on the thread
     * that runs it, and concurrent tests can share one instance and method (repetitions under a per-class lifecycle).
     */
    private static final ThreadLocal<Bound> BOUND = new ThreadLocal<>();

    private record Bound(Class<?> testClass, TestDatabase database) {}

    /** Undoes a {@link #bind}, restoring what the thread was bound to before. */
    public interface Binding {
        void restore();
    }

    private TestRuns() {}

    /** Publishes a test class's run; called by the extension before JUnit makes the class's instance. */
    public static void publish(TestClassRun run) {
        CLASSES.put(run.testClass(), run);
    }

    /** Withdraws a test class's run when the class ends, so that the class and its settings can be collected. */
    public static void withdraw(Class<?> testClass) {
        CLASSES.remove(testClass);
    }

    /** The run of a test class that the extension has started, or empty. */
    public static Optional<TestClassRun> of(Class<?> testClass) {
        return Optional.ofNullable(CLASSES.get(testClass));
    }

    /**
     * Makes {@code database} the one that parameters of {@code testClass}'s tests and class-level methods resolve to
     * on the calling thread, until the returned binding is restored.
     */
    public static Binding bind(Class<?> testClass, TestDatabase database) {
        Bound previous = BOUND.get();
        BOUND.set(new Bound(testClass, database));
        return () -> {
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
        };
    }

    /** The database another module bound to the calling thread for this test class, or empty. */
    public static Optional<TestDatabase> bound(Class<?> testClass) {
        Bound bound = BOUND.get();
        return bound != null && bound.testClass() == testClass ? Optional.of(bound.database()) : Optional.empty();
    }
}
