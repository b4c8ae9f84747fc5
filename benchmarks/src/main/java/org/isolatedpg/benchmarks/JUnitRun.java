package org.isolatedpg.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs {@link TrivialTests} or {@link WarmPoolTests} through the JUnit Platform launcher, as a build tool does. */
final class JUnitRun {

    private JUnitRun() {}

    record Result(long tests, long failed, double seconds, Stats handover) {
        double testsPerSecond() {
            return tests / seconds;
        }
    }

    static Result run(Class<?> tests, Map<String, String> configuration) {
        TrivialTests.HANDOVERS.clear();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(tests))
                .configurationParameters(configuration)
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long started = System.nanoTime();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getLauncher().execute(request, listener);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        TestExecutionSummary summary = listener.getSummary();
        if (summary.getTotalFailureCount() > 0) {
            summary.getFailures().stream()
                    .limit(3)
                    .forEach(failure -> System.err.println(
                            "FAILED " + failure.getTestIdentifier().getDisplayName() + ": " + failure.getException()));
        }
        return new Result(
                summary.getTestsSucceededCount(),
                summary.getTotalFailureCount(),
                seconds,
                Stats.of(List.copyOf(TrivialTests.HANDOVERS)));
    }
}
