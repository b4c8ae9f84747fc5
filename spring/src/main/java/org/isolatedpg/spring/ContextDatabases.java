package org.isolatedpg.spring;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.ReleaseReport;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.integration.TestClassRun;
import org.isolatedpg.junit.integration.TestRuns;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

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
    private final ConfigSource springSettings;
    private final ThreadLocal<TestBinding> bound = new ThreadLocal<>();
    private final Map<String, TestBinding> running = new ConcurrentHashMap<>();
    private final Map<Class<?>, TestBinding> classDatabases = new ConcurrentHashMap<>();
    private final AtomicInteger runningClasses = new AtomicInteger();
    private final AtomicInteger runningTests = new AtomicInteger();
    private volatile TestClassRun latestRun;
    private volatile Schema schema;

    // guarded by this
    private TestDatabase own;
    private TestClassRun ownRun;
    private boolean closed;

    /**
     * @param startedBy the test class whose run starts the context
     * @param springSettings what the context's environment says of the schema and the pool ({@link SpringSchemaSource})
     */
    ContextDatabases(Class<?> startedBy, ConfigSource springSettings) {
        this.startedBy = startedBy;
        this.springSettings = springSettings;
    }

    /** The database of the calling thread's test; the context's own where none of the context's classes runs. */
    TestDatabase current() {
        TestBinding binding = bound.get();
        if (binding != null) {
            return binding.database();
        }
        if (runningClasses.get() > 0 || runningTests.get() > 0) {
            throw new IllegalStateException(
                    "isolated-postgres: thread [" + Thread.currentThread().getName()
                            + "] asked for a database while test classes of this application context run, but it works for"
                            + " no test, so it is not known whose database to use. Where this is a @BeforeAll or @AfterAll"
                            + " method or class-level @Sql: a test database exists there only with"
                            + " @IsolatedPostgres(isolation = PER_CLASS); otherwise do it in @BeforeEach. Where it is work a"
                            + " test started on another thread: it reaches the test's database on executors that Spring Boot"
                            + " configures (they apply isolated-postgres' TaskDecorator), not on threads of your own, the"
                            + " common ForkJoinPool, @Timeout(threadMode = SEPARATE_THREAD) or assertTimeoutPreemptively."
                            + " Where it is a request to the embedded web server: send it with the context's"
                            + " TestRestTemplate, WebTestClient, RestTestClient or a RestClient built from its"
                            + " RestClient.Builder, which add the header " + TestDatabaseHeader.NAME + ".");
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

    /** What a started class or test holds until it ends: its database, if it has one, and the thread's bindings. */
    interface Scope {
        /** Ends the scope; {@code failure} is the test's, null when it passed (or for a class). */
        void end(Throwable failure);
    }

    /**
     * Starts a test class: from now on, until it ends, a thread of this context that works for no test fails rather
     * than use the context's own database. With per-class isolation, leases the class's database and binds it to the
     * class's thread, for its {@code @BeforeAll} and {@code @AfterAll} methods and class-level {@code @Sql}.
     */
    Scope startClass(Class<?> testClass) {
        TestClassRun run = run(testClass);
        latestRun = run;
        runningClasses.incrementAndGet();
        if (!run.perClass()) {
            return failure -> runningClasses.decrementAndGet();
        }
        Schema schema = schema(run);
        TestBinding binding;
        try {
            binding = new TestBinding(testClass.getName(), run.lease(schema.spec(), schema.settings()));
        } catch (RuntimeException e) {
            runningClasses.decrementAndGet();
            throw e;
        }
        classDatabases.put(testClass, binding);
        running.put(binding.token(), binding);
        Rebinding thread = rebind(binding);
        TestRuns.Binding parameters = TestRuns.bind(testClass, binding.database());
        return failure -> {
            parameters.restore();
            thread.close();
            classDatabases.remove(testClass);
            running.remove(binding.token());
            release(binding);
            runningClasses.decrementAndGet();
        };
    }

    /** Starts a test: leases its database (or takes its class's) and binds it to the test's thread. */
    Scope startTest(Class<?> testClass, String testName) {
        TestClassRun run = run(testClass);
        latestRun = run;
        TestBinding shared = classDatabases.get(testClass);
        TestBinding binding;
        if (shared != null) {
            binding = shared;
        } else {
            Schema schema = schema(run);
            binding = new TestBinding(testName, run.lease(schema.spec(), schema.settings()));
            running.put(binding.token(), binding);
        }
        runningTests.incrementAndGet();
        Rebinding thread = rebind(binding);
        TestRuns.Binding parameters = TestRuns.bind(testClass, binding.database());
        return failure -> {
            parameters.restore();
            thread.close();
            runningTests.decrementAndGet();
            if (failure != null && !(failure instanceof TestAbortedException)) {
                binding.failed(testName); // its own database, or its class's, kept when the class ends
            }
            if (binding != shared) {
                running.remove(binding.token());
                release(binding);
            }
        };
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
                    Configuration configuration = run.configuration(springSettings);
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
            binding.release()
                    .filter(ReleaseReport::hasLeaks)
                    .ifPresent(report -> LOG.warn(
                            "[{}] left connections open to test database {}; they were closed: {}",
                            binding.testName(),
                            report.database(),
                            String.join("; ", report.leakedConnections())));
        } catch (RuntimeException e) {
            LOG.warn(
                    "Releasing test database {} of [{}] failed: {}", binding.token(), binding.testName(), e.toString());
        }
    }

    /**
     * Releases the context's own database, and those of tests still running, when the context closes: Spring may
     * close a context while its tests run (a full context cache evicts it, another class's {@code @DirtiesContext}).
     * Those tests then fail on their next call rather than leave their databases leased.
     */
    @Override
    public void destroy() {
        synchronized (this) {
            closed = true;
            releaseOwn();
        }
        for (TestBinding binding : running.values()) {
            running.remove(binding.token());
            release(binding);
        }
        classDatabases.clear();
    }
}
