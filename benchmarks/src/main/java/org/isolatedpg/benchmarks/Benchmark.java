package org.isolatedpg.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;

/**
 * Measures isolated-postgres against the physical limit (raw CREATE DATABASE … TEMPLATE + DROP) and the alternatives
 * a team would pick, on the same server in the same run, and prints a Markdown table (JSON under target/). Absolute
 * times drift on a shared machine; the ratios are what to read.
 */
public final class Benchmark {

    private static final int JUNIT_TESTS = 1000;

    private final Map<String, Object> results = new LinkedHashMap<>();
    private final StringBuilder table = new StringBuilder();
    private final List<String> targets = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args.length > 0 ? args[0] : "target");
        // benchmarks-spring's target directory, where the Spring suites' classes and classpath are.
        Path spring = Path.of(args.length > 1 ? args[1] : "../benchmarks-spring/target");
        new Benchmark().run(target, spring);
    }

    private void run(Path target, Path spring) throws Exception {
        Path small = Schemas.small(target);
        Path medium = Schemas.medium(target);
        Configuration configuration = Configuration.from(List.of(
                // admin: the raw and alternative measurements below borrow a lease's credentials for their DDL.
                ConfigSource.of(
                        "benchmark", Map.of(ConfigKeys.POOL_SIZE, "1", ConfigKeys.DATASOURCE_PRIVILEGES, "admin")),
                ConfigSource.systemProperties(),
                ConfigSource.environment()));
        line("| measurement | value | ratio |");
        line("|---|---|---|");
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings());
                TestDatabasePool smallPool = TestDatabasePool.open(
                        server, TemplateSpec.of("filesystem:" + small), configuration.poolSettings());
                TestDatabasePool mediumPool = TestDatabasePool.open(
                        server, TemplateSpec.of("filesystem:" + medium), configuration.poolSettings())) {
            results.put("server", server.description());
            String user;
            String password;
            try (TestDatabase any = smallPool.lease()) {
                user = any.username();
                password = any.password();
            }
            String maintenance = server.jdbcUrl("postgres");
            double raw = rawLimit(
                    new RawClones(maintenance, user, password), smallPool.templateName(), mediumPool.templateName());
            double[] junit = junitRuns(small, raw);
            alternatives(new Alternatives(maintenance, user, password, small), small, junit[0]);
            incremental(server, target);
        }
        startup(small);
        springSuites(spring);
        print(target);
    }

    /** The same Spring Boot suite, each way of isolating its tests; ratios against isolated-postgres-spring's. */
    private void springSuites(Path module) throws Exception {
        List<SpringSuites.Result> runs = SpringSuites.run(module);
        double ours = runs.get(0).seconds();
        Map<String, Object> rows = new LinkedHashMap<>();
        double oursMedian = runs.get(0).medianGapMillis();
        for (SpringSuites.Result run : runs) {
            String name = "Spring Boot shop, " + run.tests() + " tests, "
                    + (run.variant().parallel() ? "parallel" : "sequential") + ": "
                    + run.variant().label();
            line("| " + name + ": suite wall time; per test; median gap between tests | " + Stats.format(run.seconds())
                    + " s; "
                    + Stats.format(run.millisPerTest()) + " ms; " + Stats.format(run.medianGapMillis()) + " ms"
                    + (run.failed() > 0 ? " (" + run.failed() + " failed)" : "") + " | "
                    + Stats.format(run.seconds() / ours) + "× / " + Stats.format(run.medianGapMillis() / oursMedian)
                    + "× isolated-postgres-spring (sequential) |");
            rows.put(
                    name,
                    Map.of(
                            "seconds", run.seconds(),
                            "msPerTest", run.millisPerTest(),
                            "medianGapMs", run.medianGapMillis(),
                            "tests", run.tests(),
                            "failed", run.failed()));
        }
        results.put("spring suites", rows);
    }

    /** 300 migrations plus one new one: the new template built in full, and on the older one. */
    private void incremental(PostgresServer server, Path target) throws Exception {
        IncrementalBuild.Result result = IncrementalBuild.measure(server, target, 3);
        line("| template of 301 migrations, built in full (median of 3) | " + Stats.format(result.fullMillis())
                + " ms | |");
        line("| template of 301 migrations, built incrementally on the template of the first 300 (median of 3) | "
                + Stats.format(result.incrementalMillis()) + " ms | "
                + Stats.format(result.fullMillis() / result.incrementalMillis()) + "× faster than in full |");
        results.put(
                "incremental build, 300 + 1 migrations",
                Map.of("fullMs", result.fullMillis(), "incrementalMs", result.incrementalMillis()));
    }

    /** The raw clone+drop rate of each strategy; returns the best small-template rate with two sessions. */
    private double rawLimit(RawClones raw, String small, String medium) throws Exception {
        double best = 0;
        for (String[] variant :
                List.of(new String[] {"FILE_COPY", "false"}, new String[] {"WAL_LOG", "false"}, new String[] {
                    "FILE_COPY", "true"
                })) {
            boolean clone = Boolean.parseBoolean(variant[1]);
            String label = clone ? "FILE_COPY, file_copy_method=clone" : variant[0];
            for (int sessions : List.of(1, 2)) {
                RawClones.Result result = raw.cyclesPerSecond(small, variant[0], clone, 100, sessions);
                record("raw clone+drop, small, " + label + ", " + sessions + " session(s)", result, "cycles/s");
                if (!Double.isNaN(result.perSecond()) && sessions == 2 && !clone) {
                    best = Math.max(best, result.perSecond());
                }
            }
            record(
                    "raw clone+drop, medium, " + label + ", 1 session",
                    raw.cyclesPerSecond(medium, variant[0], clone, 10, 1),
                    "cycles/s");
        }
        results.put("raw best small 2 sessions (cycles/s)", best);
        return best;
    }

    /** Returns {sequential ms per test, parallel tests per second}. */
    private double[] junitRuns(Path small, double raw) {
        Map<String, String> base = new HashMap<>(Map.of(ConfigKeys.FLYWAY_LOCATIONS, "filesystem:" + small));
        JUnitRun.Result warm = JUnitRun.run(WarmPoolTests.class, base);
        line("| isolated-postgres, 200 tests of 50 ms, warm pool: handover p50 / p95 / max | "
                + Stats.format(warm.handover().p50()) + " / "
                + Stats.format(warm.handover().p95()) + " / "
                + Stats.format(warm.handover().max()) + " ms | |");
        results.put(
                "warm pool handover",
                Map.of(
                        "p50Ms",
                        warm.handover().p50(),
                        "p95Ms",
                        warm.handover().p95(),
                        "maxMs",
                        warm.handover().max()));
        JUnitRun.Result sequential = JUnitRun.run(TrivialTests.class, base);
        Map<String, String> parallel = new HashMap<>(base);
        parallel.put("junit.jupiter.execution.parallel.enabled", "true");
        parallel.put("junit.jupiter.execution.parallel.mode.default", "concurrent");
        JUnitRun.Result concurrent = JUnitRun.run(TrivialTests.class, parallel);
        for (Map.Entry<String, JUnitRun.Result> run :
                Map.of("sequential", sequential, "parallel", concurrent).entrySet()) {
            JUnitRun.Result result = run.getValue();
            String name = "isolated-postgres, " + JUNIT_TESTS + " tests, " + run.getKey();
            line("| " + name + ": wall time | " + Stats.format(result.seconds()) + " s (" + result.failed()
                    + " failed) | |");
            line("| " + name + ": tests/s | " + Stats.format(result.testsPerSecond()) + " | "
                    + Stats.format(result.testsPerSecond() / raw) + "× raw clone+drop |");
            line("| " + name + ": handover p50 / p95 / max | "
                    + Stats.format(result.handover().p50()) + " / "
                    + Stats.format(result.handover().p95()) + " / "
                    + Stats.format(result.handover().max())
                    + " ms | |");
            results.put(
                    name,
                    Map.of(
                            "seconds",
                            result.seconds(),
                            "testsPerSecond",
                            result.testsPerSecond(),
                            "failed",
                            result.failed(),
                            "handoverP50Ms",
                            result.handover().p50(),
                            "handoverP95Ms",
                            result.handover().p95(),
                            "handoverMaxMs",
                            result.handover().max()));
        }
        target(
                "handover p50 <= 2 ms (warm pool)",
                warm.handover().p50() <= 2,
                Stats.format(warm.handover().p50()) + " ms");
        target(
                "handover p95 <= 5 ms (warm pool)",
                warm.handover().p95() <= 5,
                Stats.format(warm.handover().p95()) + " ms");
        target(
                "sustained tests/s >= 0.9x raw clone+drop (parallel)",
                concurrent.testsPerSecond() >= 0.9 * raw,
                Stats.format(concurrent.testsPerSecond()) + " vs " + Stats.format(raw) + "/s");
        return new double[] {sequential.seconds() * 1000 / JUNIT_TESTS, concurrent.testsPerSecond()};
    }

    private void alternatives(Alternatives alternatives, Path small, double ours) throws Exception {
        double migrate = alternatives.migratePerTest(100);
        double truncate = alternatives.truncatePerTest(300);
        double shared = alternatives.sharedDatabase(JUNIT_TESTS);
        double zonky = Alternatives.zonkyPreparedDbProvider(small, 300);
        Map<String, Double> perTest = new LinkedHashMap<>();
        perTest.put("isolated-postgres (JUnit, sequential)", ours);
        perTest.put("Flyway migrate into a fresh database per test", migrate);
        perTest.put("TRUNCATE all tables per test, one database", truncate);
        perTest.put("zonky PreparedDbProvider + FlywayPreparer", zonky);
        perTest.put("one shared database, no isolation (floor)", shared);
        perTest.forEach((name, ms) -> line("| per test: " + name + " | " + Stats.format(ms) + " ms | "
                + Stats.format(ms / ours) + "× isolated-postgres |"));
        results.put("per test ms", perTest);
        target(
                ">= 2x faster per test than zonky PreparedDbProvider",
                zonky / ours >= 2,
                Stats.format(zonky / ours) + "×");
        target(
                ">= 10x faster per test than migrate-per-test",
                migrate / ours >= 10,
                Stats.format(migrate / ours) + "×");
    }

    private void startup(Path small) throws Exception {
        Path data = Files.createTempDirectory(
                Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : "/tmp"), "isolatedpg-benchmark-");
        try {
            Startup.Result cold = Startup.measure(data, small);
            Startup.Result warm = Startup.measure(data, small);
            for (Map.Entry<String, Startup.Result> run :
                    Map.of("empty cache", cold, "warm cache", warm).entrySet()) {
                Startup.Result result = run.getValue();
                line("| start-up, " + run.getKey() + ": JVM start / engine start to first test ready | "
                        + result.jvmToFirstTestMillis() + " / " + result.engineToFirstTestMillis() + " ms | migrations "
                        + (result.migrationsRan() ? "ran" : "not run") + " |");
                results.put(
                        "startup " + run.getKey(),
                        Map.of(
                                "jvmToFirstTestMs", result.jvmToFirstTestMillis(),
                                "engineToFirstTestMs", result.engineToFirstTestMillis(),
                                "migrationsRan", result.migrationsRan()));
            }
            target(
                    "warm cache: first test ready within 1 s of the engine start",
                    warm.engineToFirstTestMillis() <= 1000,
                    warm.engineToFirstTestMillis() + " ms");
            target("warm cache: 0 migrations executed", !warm.migrationsRan(), warm.migrationsRan() ? "ran" : "none");
        } finally {
            deleteTree(data);
        }
    }

    private void record(String name, RawClones.Result result, String unit) {
        String value = Double.isNaN(result.perSecond())
                ? "n/a (" + result.failure() + ")"
                : Stats.format(result.perSecond()) + " " + unit;
        line("| " + name + " | " + value + " | |");
        results.put(name, Double.isNaN(result.perSecond()) ? result.failure() : result.perSecond());
    }

    private void target(String name, boolean met, String measured) {
        targets.add("| " + name + " | " + measured + " | " + (met ? "met" : "MISSED") + " |");
        results.put("target: " + name, Map.of("measured", measured, "met", met));
    }

    private void line(String text) {
        table.append(text).append('\n');
    }

    private void print(Path target) throws Exception {
        String report = "## isolated-postgres benchmark\n\n"
                + "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version") + "; " + results.get("server") + ".\n\n"
                + table + "\n| target | measured | result |\n|---|---|---|\n" + String.join("\n", targets) + "\n";
        System.out.println(report);
        Files.writeString(target.resolve("benchmark-results.md"), report);
        Files.writeString(target.resolve("benchmark-results.json"), json(results));
    }

    private static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .map(entry -> json(String.valueOf(entry.getKey())) + ": " + json(entry.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value instanceof Double d && (d.isNaN() || d.isInfinite())
                    ? "null"
                    : String.format(Locale.ROOT, "%s", value);
        }
        return "\"" + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
