package org.isolatedpg.benchmarks.spring;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.HashMap;
import java.util.Map;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one variant's suite in this JVM, as a build tool would, and prints {@code SUITE <tests> <failed> <ms> <median
 * gap ms>} (the suite's wall time, and the median time between two tests' completions):
 * {@code <test class> sequential|parallel}. Each variant gets a JVM of its own, so none inherits another's warm JIT,
 * server or contexts.
 */
public final class SpringSuiteMain {

    private SpringSuiteMain() {}

    public static void main(String[] args) throws ClassNotFoundException {
        Class<?> suite = Class.forName(args[0]);
        Map<String, String> configuration = new HashMap<>();
        if ("parallel".equals(args[1])) {
            configuration.put("junit.jupiter.execution.parallel.enabled", "true");
            configuration.put("junit.jupiter.execution.parallel.mode.default", "concurrent");
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(suite))
                .configurationParameters(configuration)
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        TestCompletions completions = new TestCompletions();
        long started = System.nanoTime();
        LauncherFactory.create().execute(request, listener, completions);
        long millis = (System.nanoTime() - started) / 1_000_000;
        TestExecutionSummary summary = listener.getSummary();
        summary.getFailures().stream().limit(3).forEach(failure -> {
            System.out.println("FAILED " + failure.getTestIdentifier().getDisplayName());
            failure.getException().printStackTrace(System.out);
        });
        System.out.println("SUITE " + summary.getTestsStartedCount() + " " + summary.getTotalFailureCount() + " "
                + millis + " " + completions.medianGapMillis());
        // As a build tool's forked JVM does: Boot's task executor keeps non-daemon threads alive, and the cached
        // contexts close in shutdown hooks, which only an exit runs.
        System.exit(0);
    }
}
