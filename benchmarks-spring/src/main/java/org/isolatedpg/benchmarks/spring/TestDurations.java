package org.isolatedpg.benchmarks.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * How long each test took, from its start to its end as JUnit reports them: Spring's callbacks around it (a database
 * refresh, a cleanup script, a context closed and the next one loaded) count as part of it.
 */
final class TestDurations implements TestExecutionListener {

    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final List<Double> millis = new ArrayList<>();

    @Override
    public void executionStarted(TestIdentifier test) {
        if (test.isTest()) {
            started.put(test.getUniqueId(), System.nanoTime());
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        Long start = started.remove(test.getUniqueId());
        if (start != null) {
            synchronized (millis) {
                millis.add((System.nanoTime() - start) / 1e6);
            }
        }
    }

    double medianMillis() {
        synchronized (millis) {
            List<Double> sorted = millis.stream().sorted().toList();
            return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
        }
    }
}
