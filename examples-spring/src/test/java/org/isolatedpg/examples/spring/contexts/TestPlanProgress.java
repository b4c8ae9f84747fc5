package org.isolatedpg.examples.spring.contexts;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Registered in {@code META-INF/services}: which test classes the run planned, and which have finished, so that
 * ContextsPerConfigurationTests can prove it ran after all the others instead of assuming it.
 */
public class TestPlanProgress implements TestExecutionListener {

    private static final Set<String> PLANNED = ConcurrentHashMap.newKeySet();
    private static final Set<String> FINISHED = ConcurrentHashMap.newKeySet();

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        plan.getRoots()
                .forEach(root -> plan.getDescendants(root)
                        .forEach(test -> className(test).ifPresent(PLANNED::add)));
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        className(test).ifPresent(FINISHED::add);
    }

    /** The planned classes, other than {@code self}, that have not finished yet. */
    static Set<String> unfinishedOtherThan(Class<?> self) {
        Set<String> unfinished = new TreeSet<>(PLANNED);
        unfinished.removeAll(FINISHED);
        unfinished.remove(self.getName());
        return unfinished;
    }

    static Set<String> planned() {
        return Set.copyOf(PLANNED);
    }

    private static Optional<String> className(TestIdentifier test) {
        return test.getSource()
                .filter(ClassSource.class::isInstance)
                .map(source -> ((ClassSource) source).getClassName());
    }
}
