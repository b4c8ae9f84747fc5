package org.isolatedpg.junit;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.util.Optional;
import javax.sql.DataSource;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.ReleaseReport;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.integration.TestClassRun;
import org.isolatedpg.junit.integration.TestRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extension behind {@link IsolatedPostgres}: a thin mapping of JUnit's lifecycle onto pool-core.
 *
 * <p>State lives in stores, never in fields: the {@link PoolRegistry} (server and pools) in the launcher session's
 * store, closed at the end of the run; a class's {@link ClassSettings} in its class store; a {@link LeaseHolder} in the store of the
 * scope that owns the database — the test method's (per-method isolation) or the class's (per-class isolation) — so
 * the database is released when that scope closes, pass or fail. {@link #afterEach} and {@link #afterAll} release it
 * a moment earlier, where they can still publish a leak report against the test, and know whether it failed: a failed
 * test's database is released as failed, which keeps it for a look.
 */
final class IsolatedPostgresExtension
        implements ExecutionCondition,
                TestInstancePreConstructCallback,
                BeforeAllCallback,
                ParameterResolver,
                AfterEachCallback,
                AfterAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(IsolatedPostgres.class);
    private static final Namespace NAMESPACE = Namespace.create(IsolatedPostgresExtension.class);

    /**
     * Publishes the class's run for other modules ({@link TestRuns}). A condition is the earliest point JUnit gives a
     * test class: before its instance exists and before any extension's {@code beforeAll}, where a Spring
     * application context may start. It never disables anything; bad configuration is left for {@link #beforeAll}
     * to report.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty() && context.getTestClass().isPresent()) {
            try {
                publish(context);
            } catch (ExtensionConfigurationException e) {
                // reported by beforeAll
            }
        }
        return ConditionEvaluationResult.enabled("@IsolatedPostgres prepares the class");
    }

    /** Publishes the class's run here too, for builds that deactivate conditions. */
    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        publish(context);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        publish(context); // fails fast on bad configuration, before any test runs
    }

    private static void publish(ExtensionContext context) {
        ClassSettings settings = settings(context);
        Class<?> testClass = context.getRequiredTestClass();
        Optional<TestClassRun> published = TestRuns.of(testClass);
        PoolRegistry registry = RunStore.registry(context, NAMESPACE, settings.configuration());
        if (published.isEmpty() || !(published.get() instanceof PublishedClassRun run) || run.registry() != registry) {
            TestRuns.publish(new PublishedClassRun(testClass, settings, registry));
            if (Prefetch.worthIt(testClass)) {
                // The server starts, and the template is found or built, while JUnit readies the class.
                registry.prepare(settings.templateSpec(), settings.poolSettings(), testClass.getClassLoader());
            }
        }
    }

    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        // With per-method instances, constructor parameters then belong to the test method, like its other ones.
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == DataSource.class || type == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        Class<?> type = parameterContext.getParameter().getType();
        Optional<TestDatabase> bound = boundElsewhere(context);
        if (bound.isPresent()) {
            return type == DataSource.class ? bound.get().dataSource() : bound.get();
        }
        ClassSettings settings = settings(context);
        ExtensionContext scope = scope(parameterContext, context, settings);
        LeaseHolder holder = scope.getStore(NAMESPACE)
                .getOrComputeIfAbsent(leaseKey(scope), key -> new LeaseHolder(), LeaseHolder.class);
        TestDatabase database;
        try {
            database = holder.get(() -> lease(context, settings));
        } catch (IsolatedPostgresException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        // Once per test (or per class for @BeforeAll), however many parameters it takes.
        context.getStore(NAMESPACE).getOrComputeIfAbsent("reported " + context.getUniqueId(), key -> {
            context.publishReportEntry("isolatedpg.database", database.name());
            return Boolean.TRUE;
        });
        return type == DataSource.class ? database.dataSource() : database;
    }

    /** The database another module (Spring's application context) bound to this thread for the test, if any. */
    private static Optional<TestDatabase> boundElsewhere(ExtensionContext context) {
        return context.getTestClass().flatMap(TestRuns::bound);
    }

    private TestDatabase lease(ExtensionContext context, ClassSettings settings) {
        // The launcher session's store where JUnit has one (see RunStore).
        PoolRegistry registry = RunStore.registry(context, NAMESPACE, settings.configuration());
        ClassLoader loader = context.getRequiredTestClass().getClassLoader();
        return registry.lease(settings.templateSpec(), settings.poolSettings(), loader);
    }

    /**
     * The key of a scope's lease. It names the scope because a store lookup falls back to the parent stores: a test
     * method must not find, and release, its class's shared database.
     */
    private static String leaseKey(ExtensionContext scope) {
        return "lease " + scope.getUniqueId();
    }

    /** The context whose store owns the database: the test method's, or the class's with per-class isolation. */
    private static ExtensionContext scope(
            ParameterContext parameterContext, ExtensionContext context, ClassSettings settings) {
        if (settings.perClass()) {
            ExtensionContext scope = context;
            while (scope.getTestMethod().isPresent() && scope.getParent().isPresent()) {
                scope = scope.getParent().get();
            }
            return scope;
        }
        if (context.getTestMethod().isEmpty()) {
            Executable executable = parameterContext.getDeclaringExecutable();
            throw new ParameterResolutionException("Cannot inject [" + parameterContext.getParameter() + "] into "
                    + describe(executable) + ": with per-method isolation a test database exists only while a test"
                    + " method runs. Use @IsolatedPostgres(isolation = Isolation.PER_CLASS) to share one database"
                    + " across the class, or take the parameter in a test method or a @BeforeEach method.");
        }
        return context;
    }

    private static String describe(Executable executable) {
        if (executable instanceof Constructor<?> constructor) {
            return "the constructor of [" + constructor.getDeclaringClass().getName() + "]";
        }
        Method method = (Method) executable;
        String kind = AnnotationSupport.isAnnotated(method, BeforeAll.class) ? "@BeforeAll method" : "method";
        return kind + " [" + method.getDeclaringClass().getName() + "#" + method.getName() + "]";
    }

    /**
     * Releases the test's database; a failed test's is kept for a look. With per-class isolation, the class's
     * database is noted to have served a failed test, and is kept when the class ends.
     */
    @Override
    public void afterEach(ExtensionContext context) {
        if (failed(context)) {
            for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
                LeaseHolder holder = c.getStore(NAMESPACE).get(leaseKey(c), LeaseHolder.class);
                if (holder != null) {
                    holder.failed(testName(context));
                    break; // the nearest database is the test's: its own, or its class's
                }
            }
        }
        release(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (failed(context)) { // a @BeforeAll or @AfterAll method failed
            LeaseHolder holder = context.getStore(NAMESPACE).get(leaseKey(context), LeaseHolder.class);
            if (holder != null) {
                holder.failed(testName(context));
            }
        }
        release(context);
        TestRuns.withdraw(context.getRequiredTestClass());
    }

    /** Whether the scope failed: an exception other than an aborted assumption. */
    private static boolean failed(ExtensionContext context) {
        return context.getExecutionException()
                .filter(failure -> !(failure instanceof TestAbortedException))
                .isPresent();
    }

    private static void release(ExtensionContext context) {
        LeaseHolder holder = context.getStore(NAMESPACE).get(leaseKey(context), LeaseHolder.class);
        if (holder == null) {
            return;
        }
        Optional<ReleaseReport> report = holder.release();
        report.filter(ReleaseReport::hasLeaks).ifPresent(leaks -> {
            String detail = String.join("; ", leaks.leakedConnections());
            context.publishReportEntry("isolatedpg.leaked-connections", detail);
            LOG.warn(
                    "[{}] left connections open to test database {}; they were closed: {}",
                    testName(context),
                    leaks.database(),
                    detail);
        });
    }

    private static String testName(ExtensionContext context) {
        return context.getRequiredTestClass().getName()
                + context.getTestMethod().map(method -> "#" + method.getName()).orElse("");
    }

    /** The settings of the class that declares (or inherits, or encloses) {@code @IsolatedPostgres}. */
    private static ClassSettings settings(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Optional<Class<?>> testClass = c.getTestClass();
            if (testClass.isEmpty()) {
                continue;
            }
            Optional<IsolatedPostgres> annotation =
                    AnnotationSupport.findAnnotation(testClass.get(), IsolatedPostgres.class);
            if (annotation.isPresent()) {
                ExtensionContext classContext = c;
                Class<?> annotated = declaringClass(testClass.get());
                return c.getStore(NAMESPACE)
                        .getOrComputeIfAbsent(
                                ClassSettings.class,
                                key -> resolve(annotated, annotation.get(), classContext),
                                ClassSettings.class);
            }
        }
        throw new ExtensionConfigurationException("IsolatedPostgresExtension is registered on ["
                + context.getRequiredTestClass().getName()
                + "] without @IsolatedPostgres; use the annotation rather than @ExtendWith.");
    }

    /** The class that carries the annotation (directly or through a meta-annotation), for messages. */
    private static Class<?> declaringClass(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
            for (java.lang.annotation.Annotation annotation : c.getDeclaredAnnotations()) {
                if (annotation.annotationType() == IsolatedPostgres.class
                        || AnnotationSupport.isAnnotated(annotation.annotationType(), IsolatedPostgres.class)) {
                    return c;
                }
            }
        }
        return testClass;
    }

    private static ClassSettings resolve(Class<?> annotated, IsolatedPostgres annotation, ExtensionContext context) {
        try {
            return ClassSettings.resolve(annotated, annotation, context);
        } catch (InvalidConfigurationException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
    }
}
