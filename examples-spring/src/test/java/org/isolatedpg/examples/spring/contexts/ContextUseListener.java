package org.isolatedpg.examples.spring.contexts;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/** Registered in {@code META-INF/spring.factories}: logs which context each Spring test class ran against. */
public class ContextUseListener extends AbstractTestExecutionListener {

    @Override
    public void prepareTestInstance(TestContext testContext) {
        ContextLog.used(testContext.getTestClass(), testContext.getApplicationContext());
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
