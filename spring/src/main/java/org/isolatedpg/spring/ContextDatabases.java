package org.isolatedpg.spring;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.ReleaseReport;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.integration.TestClassRun;
import org.isolatedpg.junit.integration.TestRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestContext;

/**
 * The databases of one application context: each running test's, bound to the threads that work for it, and the
 * context's own, used outside tests (start-up, between tests).
 *
 * <p>A thread is bound to a test's database while the test runs on it ({@link IsolatedPostgresTestExecutionListener}),
 * while a task the test submitted runs ({@link #decorate}), and while a request that carries the test's header is
 * served ({@link #bindRequest}). An unbound thread gets the context's own database only while none of the context's
 * tests runs: during a test it may be working for any of them, so it fails rather than guess.
 */
final class ContextDatabases implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger("org.isolatedpg.junit.IsolatedPostgres");

    /** The template and pool of this context's tests, read from the first test class and the context's environment. */
    private record Schema(TemplateSpec spec, PoolSettings settings) {}

    private final Class<?> startedBy;
    private final Environment environment;
    private final ThreadLocal<TestBinding> bound = new ThreadLocal<>();
    private final Map<String, TestBinding> running = new ConcurrentHashMap<>();
    private final Map<Class<?>, TestBinding> classDatabases = new ConcurrentHashMap<>();
    private final AtomicInteger runningTests = new AtomicInteger();
    private volatile TestClassRun latestRun;
    private volatile Schema schema;

    // guarded by this
    private TestDatabase own;
    private TestClassRun ownRun;
    private boolean closed;

    ContextDatabases(Class<?> startedBy, Environment environment) {
        this.startedBy = startedBy;
        this.environment = environment;
    }

    /** The database of the calling thread's test; the context's own where no test of the context runs. */
    TestDatabase current() {
        TestBinding binding = bound.get();
        if (binding != null) {
            return binding.database();
        }
        if (runningTests.get() > 0) {
            throw new IllegalStateException(
                    "isolated-postgres: thread [" + Thread.currentThread().getName()
                            + "] asked for a database while tests of this application context run, but it works for none of"
                            + " them, so it is not known whose database to use. Work a test starts on another thread"
                            + " reaches the test's database when it runs on an executor that Spring Boot configures (it"
                            + " applies isolated-postgres' TaskDecorator), and requests to the embedded web server when they"
                            + " come from the context's TestRestTemplate, WebTestClient or a RestClient built from its"
                            + " RestClient.Builder (they add the header " + TestDatabaseHeader.NAME + ").");
        }
        return own();
    }

    /** The token of the calling thread's test, for the header of requests it sends; empty outside tests. */
    Optional<String> currentToken() {
        return Optional.ofNullable(bound.get()).map(TestBinding::token);
    }

    /** The calling thread's test, for Hibernate's tenant: each test's sequence blocks and cache entries are its own. */
    String currentTenant() {
        TestBinding binding = bound.get();
        return binding == null ? "isolatedpg-context" : binding.token();
    }

    /** Starts a test: leases its database (or takes its class's) and binds it to the test's thread. */
    void startTest(TestContext test) {
        Class<?> testClass = test.getTestClass();
        TestClassRun run = run(testClass);
        latestRun = run;
        Schema schema = schema(run);
        TestBinding binding = run.perClass()
                ? classDatabases.computeIfAbsent(
                        testClass, c -> new TestBinding(c.getName(), run.lease(schema.spec(), schema.settings())))
                : new TestBinding(testName(test), run.lease(schema.spec(), schema.settings()));
        running.put(binding.token(), binding);
        runningTests.incrementAndGet();
        bound.set(binding);
        TestRuns.bind(test.getTestInstance(), test.getTestMethod(), binding.database());
    }

    /** Ends a test: unbinds its thread and releases its database, unless its class shares one. */
    void endTest(TestContext test) {
        TestBinding binding = bound.get();
        if (binding == null) {
            return; // the test never got its database
        }
        bound.remove();
        TestRuns.unbind(test.getTestInstance(), test.getTestMethod());
        runningTests.decrementAndGet();
        if (classDatabases.get(test.getTestClass()) != binding) {
            running.remove(binding.token());
            release(binding);
        }
    }

    /** Ends a class: releases the database its tests shared ({@code Isolation.PER_CLASS}). */
    void endClass(Class<?> testClass) {
        TestBinding binding = classDatabases.remove(testClass);
        if (binding != null) {
            running.remove(binding.token());
            release(binding);
        }
    }

    /** A task that runs bound to the submitting thread's test, as Spring's {@code TaskDecorator}. */
    Runnable decorate(Runnable task) {
        TestBinding binding = bound.get();
        if (binding == null) {
            return task;
        }
        return () -> {
            try (Rebinding ignored = rebind(binding)) {
                task.run();
            }
        };
    }

    /** Binds the calling thread, which serves a request, to the test whose database the request names. */
    Rebinding bindRequest(String token) {
        TestBinding binding = running.get(token);
        if (binding == null) {
            throw new IllegalStateException("isolated-postgres: a request to the embedded web server names test"
                    + " database " + token + " in header " + TestDatabaseHeader.NAME + ", but no running test of"
                    + " this application context has it: the test that sent it has ended. Wait for the response"
                    + " in the test.");
        }
        return rebind(binding);
    }

    /** Restores the calling thread's binding when closed. */
    interface Rebinding extends AutoCloseable {
        @Override
        void close();
    }

    private Rebinding rebind(TestBinding binding) {
        TestBinding previous = bound.get();
        bound.set(binding);
        return () -> {
            if (previous == null) {
                bound.remove();
            } else {
                bound.set(previous);
            }
        };
    }

    private TestClassRun run(Class<?> testClass) {
        return TestRuns.of(testClass)
                .orElseThrow(() -> new IllegalStateException("isolated-postgres: the application context of ["
                        + testClass.getName() + "] asked for a database before @IsolatedPostgres prepared the"
                        + " class. Is JUnit's IsolatedPostgresExtension registered, through @IsolatedPostgres on the"
                        + " test class or a class it is nested in?"));
    }

    private Schema schema(TestClassRun run) {
        Schema known = schema;
        if (known == null) {
            synchronized (this) {
                if (schema == null) {
                    Configuration configuration = run.configuration(SpringSchemaSource.of(environment));
                    schema = new Schema(configuration.templateSpec(), configuration.poolSettings());
                }
                known = schema;
            }
        }
        return known;
    }

    /** The context's own database, leased on first use and again when a new JUnit run has new pools. */
    private synchronized TestDatabase own() {
        if (closed) {
            throw new IllegalStateException("isolated-postgres: the application context of [" + startedBy.getName()
                    + "] is closed; its database is released");
        }
        TestClassRun run = latestRun != null ? latestRun : run(startedBy);
        if (own != null && ownRun.sameRun(run)) {
            return own;
        }
        releaseOwn();
        Schema schema = schema(run);
        own = run.lease(schema.spec(), schema.settings());
        ownRun = run;
        // Released before the run's pools close, which would otherwise find it still leased.
        TestDatabase leased = own;
        run.whenRunEnds(() -> releaseOwn(leased));
        return own;
    }

    private synchronized void releaseOwn(TestDatabase database) {
        if (own == database) {
            releaseOwn();
        }
    }

    private synchronized void releaseOwn() {
        if (own != null) {
            TestDatabase database = own;
            own = null;
            ownRun = null;
            release(new TestBinding("the application context of [" + startedBy.getName() + "]", database));
        }
    }

    private static void release(TestBinding binding) {
        try {
            ReleaseReport report = binding.release();
            if (report.hasLeaks()) {
                LOG.warn(
                        "[{}] left connections open to test database {}; they were closed: {}",
                        binding.testName(),
                        report.database(),
                        String.join("; ", report.leakedConnections()));
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "Releasing test database {} of [{}] failed: {}", binding.token(), binding.testName(), e.toString());
        }
    }

    private static String testName(TestContext test) {
        return test.getTestClass().getName() + "#" + test.getTestMethod().getName();
    }

    /** Releases the context's own database and what per-class tests left, when the context closes. */
    @Override
    public void destroy() {
        synchronized (this) {
            closed = true;
            releaseOwn();
        }
        for (Class<?> testClass : classDatabases.keySet()) {
            endClass(testClass);
        }
    }
}
