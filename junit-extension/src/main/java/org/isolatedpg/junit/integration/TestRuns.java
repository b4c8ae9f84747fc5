package org.isolatedpg.junit.integration;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Objects;
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
    private static final Map<TestKey, TestDatabase> BOUND = new ConcurrentHashMap<>();

    private TestRuns() {}

    /** Publishes a test class's run; called by the extension before JUnit makes the class's instance. */
    public static void publish(TestClassRun run) {
        CLASSES.put(run.testClass(), run);
    }

    /** The run of a test class that the extension has started, or empty. */
    public static Optional<TestClassRun> of(Class<?> testClass) {
        return Optional.ofNullable(CLASSES.get(testClass));
    }

    /** Makes {@code database} the one the parameters of this test resolve to, until {@link #unbind}. */
    public static void bind(Object testInstance, Method testMethod, TestDatabase database) {
        BOUND.put(new TestKey(testInstance, testMethod), database);
    }

    /** Ends what {@link #bind} started. */
    public static void unbind(Object testInstance, Method testMethod) {
        BOUND.remove(new TestKey(testInstance, testMethod));
    }

    /** The database another module bound to this test, or empty. */
    public static Optional<TestDatabase> bound(Object testInstance, Method testMethod) {
        return Optional.ofNullable(BOUND.get(new TestKey(testInstance, testMethod)));
    }

    /** A test: its instance, by identity (a test class may define equals), and its method. */
    private static final class TestKey {
        private final Object instance;
        private final Method method;

        TestKey(Object instance, Method method) {
            this.instance = Objects.requireNonNull(instance, "instance");
            this.method = Objects.requireNonNull(method, "method");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TestKey key && key.instance == instance && key.method.equals(method);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(instance) + method.hashCode();
        }
    }
}
