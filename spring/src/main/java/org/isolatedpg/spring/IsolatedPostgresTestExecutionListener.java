package org.isolatedpg.spring;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Gives each test its database in the application context, before Spring starts its transaction or runs its
 * {@code @Sql} scripts, and takes it back after Spring has rolled back and cleaned up, pass or fail.
 */
final class IsolatedPostgresTestExecutionListener extends AbstractTestExecutionListener {

    /** Before {@code TransactionalTestExecutionListener} (4000) and {@code SqlScriptsTestExecutionListener} (5000). */
    private static final int ORDER = 3900;

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        ContextDatabases databases = databases(testContext);
        if (databases != null) {
            databases.startTest(testContext);
        }
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        ContextDatabases databases = databases(testContext);
        if (databases != null) {
            databases.endTest(testContext);
        }
    }

    @Override
    public void afterTestClass(TestContext testContext) {
        ContextDatabases databases = databases(testContext);
        if (databases != null) {
            databases.endClass(testContext.getTestClass());
        }
    }

    /** The context's databases; null where the context is not one of ours, or is gone (never loads one). */
    private static ContextDatabases databases(TestContext testContext) {
        if (!testContext.hasApplicationContext()) {
            return null;
        }
        ApplicationContext context = testContext.getApplicationContext();
        return context.getBeanProvider(ContextDatabases.class).getIfAvailable();
    }
}
