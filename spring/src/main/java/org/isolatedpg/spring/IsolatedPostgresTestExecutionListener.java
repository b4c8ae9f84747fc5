package org.isolatedpg.spring;

import org.isolatedpg.junit.IsolatedPostgres;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Gives each test class and test its database in the application context, before Spring starts its transaction or
 * runs its {@code @Sql} scripts, and takes it back after Spring has rolled back and cleaned up, pass or fail.
 *
 * <p>What a class or test holds is kept in its {@code TestContext} (Spring keeps one per thread), not looked up in
 * the application context again at the end: Spring may have closed that context meanwhile.
 */
final class IsolatedPostgresTestExecutionListener extends AbstractTestExecutionListener {

    /** Before {@code TransactionalTestExecutionListener} (4000) and {@code SqlScriptsTestExecutionListener} (5000). */
    private static final int ORDER = 3900;

    private static final String CLASS_SCOPE = IsolatedPostgresTestExecutionListener.class.getName() + ".class";
    private static final String TEST_SCOPE = IsolatedPostgresTestExecutionListener.class.getName() + ".test";

    @Override
    public int getOrder() {
        return ORDER;
    }

    /**
     * Loads the application context now, as Spring would a moment later to inject the test instance, so that the
     * class's database exists for its {@code @BeforeAll} methods and class-level {@code @Sql}.
     */
    @Override
    public void beforeTestClass(TestContext testContext) {
        Class<?> testClass = testContext.getTestClass();
        if (TestContextAnnotationUtils.findMergedAnnotation(testClass, IsolatedPostgres.class) == null) {
            return;
        }
        ContextDatabases databases = databases(testContext.getApplicationContext());
        if (databases != null) {
            testContext.setAttribute(CLASS_SCOPE, databases.startClass(testClass));
        }
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        if (!testContext.hasApplicationContext()) {
            return;
        }
        ContextDatabases databases = databases(testContext.getApplicationContext());
        if (databases != null) {
            String testName = testContext.getTestClass().getName() + "#"
                    + testContext.getTestMethod().getName();
            testContext.setAttribute(TEST_SCOPE, databases.startTest(testContext.getTestClass(), testName));
        }
    }

    /** A failed test's database is kept for a look ({@code isolatedpg.keep-failed}). */
    @Override
    public void afterTestMethod(TestContext testContext) {
        end(testContext, TEST_SCOPE, testContext.getTestException());
    }

    @Override
    public void afterTestClass(TestContext testContext) {
        end(testContext, CLASS_SCOPE, null);
    }

    private static void end(TestContext testContext, String key, Throwable failure) {
        if (testContext.removeAttribute(key) instanceof ContextDatabases.Scope scope) {
            scope.end(failure);
        }
    }

    /** The context's databases; null where the context is not one of ours. */
    private static ContextDatabases databases(ApplicationContext context) {
        return context.getBeanProvider(ContextDatabases.class).getIfAvailable();
    }
}
