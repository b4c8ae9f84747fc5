package org.isolatedpg.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs one of the benchmark's test classes through the JUnit Platform launcher, as a build tool does. */
final class JUnitRun {

    /**
     * The extension's end-of-run report line of a pool ({@code PoolStatistics.summary()}), logged when the launcher
     * session closes. The extension gives a launcher caller no other way to its pools' statistics.
     */
    private static final Pattern POOL_LINE = Pattern.compile("(\\d+) clones made, (\\d+) leases, (\\d+) clones reused"
            + " untouched \\(checked in ([\\d.]+) ms on average\\), (\\d+) waits \\((\\d+) ms in all\\), \\d+ leaked"
            + " connections; acquire p50 ([\\d.]+) ms, p95 ([\\d.]+) ms, max ([\\d.]+) ms");

    private JUnitRun() {}

    record Result(long tests, long failed, double seconds, Stats handover, Optional<Pool> pool) {
        double testsPerSecond() {
            return tests / seconds;
        }

        /** The handover cell of a report row: {@code p50 / p95 / max ms}. */
        String handoverCell() {
            return Stats.format(handover.p50()) + " / " + Stats.format(handover.p95()) + " / "
                    + Stats.format(handover.max()) + " ms";
        }

        /** The run's figures for the JSON results: time, rate, failures, handover and the pool's statistics. */
        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("seconds", seconds);
            json.put("testsPerSecond", testsPerSecond());
            json.put("failed", failed);
            json.put("handoverP50Ms", handover.p50());
            json.put("handoverP95Ms", handover.p95());
            json.put("handoverMaxMs", handover.max());
            pool.ifPresent(pool -> {
                json.put("clonesMade", pool.clones());
                json.put("leases", pool.leases());
                json.put("waits", pool.waits());
                json.put("acquireP50Ms", pool.p50());
                json.put("acquireP95Ms", pool.p95());
            });
            return json;
        }
    }

    /** What the run's pool reported: leases, leases that waited for a clone, acquire latency in ms. */
    record Pool(
            long clones,
            long leases,
            long reused,
            double checkMillis,
            long waits,
            long waitedMillis,
            double p50,
            double p95,
            double max) {

        /**
         * {@code 12 of 280 waited (340 ms in all); acquire p50 / p95 / max 0.21 / 3.40 / 40.1 ms; 200 clones reused
         * untouched (check 0.80 ms)}.
         */
        String summary() {
            return waits + " of " + leases + " waited (" + waitedMillis + " ms in all); acquire p50 / p95 / max "
                    + Stats.format(p50) + " / " + Stats.format(p95) + " / " + Stats.format(max) + " ms; " + reused
                    + " clones reused untouched (check " + Stats.format(checkMillis) + " ms)";
        }
    }

    static Result run(Class<?> tests, Map<String, String> configuration) {
        TrivialTests.HANDOVERS.clear();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(tests))
                .configurationParameters(configuration)
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        // slf4j-simple looks System.err up at every line, so the report line lands in the copy too.
        System.setErr(new PrintStream(new Tee(stderr, log), true, StandardCharsets.UTF_8));
        long started = System.nanoTime();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getLauncher().execute(request, listener);
        } finally {
            System.setErr(stderr);
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
                Stats.of(List.copyOf(TrivialTests.HANDOVERS)),
                pool(log.toString(StandardCharsets.UTF_8)));
    }

    /** The busiest pool's report line in the log, if the extension's report format is still the one parsed here. */
    private static Optional<Pool> pool(String log) {
        Matcher line = POOL_LINE.matcher(log);
        List<Pool> pools = new java.util.ArrayList<>();
        while (line.find()) {
            pools.add(new Pool(
                    Long.parseLong(line.group(1)),
                    Long.parseLong(line.group(2)),
                    Long.parseLong(line.group(3)),
                    Double.parseDouble(line.group(4)),
                    Long.parseLong(line.group(5)),
                    Long.parseLong(line.group(6)),
                    Double.parseDouble(line.group(7)),
                    Double.parseDouble(line.group(8)),
                    Double.parseDouble(line.group(9))));
        }
        return pools.stream().max(Comparator.comparingLong(Pool::leases));
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
