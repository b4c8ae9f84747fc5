package org.isolatedpg.benchmarks.spring;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * When each test finished. The median gap between two completions is what one more test costs once the suite runs:
 * everything between two tests counts (a database refreshed, a cleanup script, a context closed and the next one
 * loaded, which JUnit reports outside any test), and the first test's wait for the context does not.
 */
final class TestCompletions implements TestExecutionListener {

    private final List<Long> finished = new ArrayList<>();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest()) {
            synchronized (finished) {
                finished.add(System.nanoTime());
            }
        }
    }

    double medianGapMillis() {
        synchronized (finished) {
            List<Long> times = finished.stream().sorted().toList();
            List<Double> gaps = new ArrayList<>();
            for (int i = 1; i < times.size(); i++) {
                gaps.add((times.get(i) - times.get(i - 1)) / 1e6);
            }
            return gaps.isEmpty() ? Double.NaN : gaps.stream().sorted().toList().get(gaps.size() / 2);
        }
    }
}
