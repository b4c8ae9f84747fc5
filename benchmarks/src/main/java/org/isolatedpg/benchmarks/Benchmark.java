package org.isolatedpg.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;

/**
 * Measures isolated-postgres against the physical limits (bare loops of CREATE DATABASE … TEMPLATE + DROP, without and
 * with a first connection to each clone) and the alternatives a team would pick, on the same server in the same run:
 * trivial, read-heavy and real-world-schema suites through the JUnit launcher. Prints a Markdown table (JSON under
 * target/). Absolute times drift on a shared machine; the ratios, and the server CPU figures, are what to read.
 */
public final class Benchmark {

    private static final int JUNIT_TESTS = 1000;

    /**
     * Which parts run, comma-separated: {@code ceilings, junit, readheavy, products, alternatives, incremental,
     * startup, spring}, or {@code all} (the default). The JUnit rows need the ceilings, and the alternatives the
     * JUnit rows: asking for a part runs what it needs.
     */
    static final String SECTIONS = "isolatedpg.benchmark.sections";

    private final Report report = new Report();
    private final Set<String> sections;

    private Benchmark(Set<String> sections) {
        this.sections = sections;
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args.length > 0 ? args[0] : "target");
        // benchmarks-spring's target directory, where the Spring suites' classes and classpath are.
        Path spring = Path.of(args.length > 1 ? args[1] : "../benchmarks-spring/target");
        // The server's executable jar, run as its users run it.
        Path serverJar = Path.of(args.length > 2 ? args[2] : "../server/target/isolated-postgres-server-all.jar");
        // A server of the benchmark's own, unless told otherwise: other JVMs on the machine (a build's tests) attach
        // to the shared one and would show in every figure. JUnit reads system properties as configuration
        // parameters, so the extension's runs below use it too.
        if (System.getProperty(ConfigKeys.EMBEDDED_DATA_DIRECTORY) == null
                && System.getenv("ISOLATEDPG_EMBEDDED_DATA_DIRECTORY") == null) {
            Path shm = Path.of("/dev/shm");
            System.setProperty(
                    ConfigKeys.EMBEDDED_DATA_DIRECTORY,
                    (Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")))
                            .resolve("isolatedpg-benchmark")
                            .toString());
        }
        Set<String> sections = Set.of(System.getProperty(SECTIONS, "all")
                .trim()
                .toLowerCase(Locale.ROOT)
                .split("\\s*,\\s*"));
        new Benchmark(sections).run(target, spring, serverJar);
    }

    private boolean on(String... names) {
        return sections.contains("all") || Arrays.stream(names).anyMatch(sections::contains);
    }

    private void run(Path target, Path spring, Path serverJar) throws Exception {
        Path small = Schemas.small(target);
        Path medium = Schemas.medium(target);
        Configuration configuration = Configuration.from(List.of(
                // admin: the raw and alternative measurements below borrow a lease's credentials for their DDL.
                ConfigSource.of(
                        "benchmark", Map.of(ConfigKeys.POOL_SIZE, "1", ConfigKeys.DATASOURCE_PRIVILEGES, "admin")),
                ConfigSource.systemProperties(),
                ConfigSource.environment()));
        try (PostgresServer server = PostgresServer.start(configuration.serverSettings());
                TestDatabasePool smallPool = TestDatabasePool.open(
                        server, TemplateSpec.of("filesystem:" + small), configuration.poolSettings());
                TestDatabasePool mediumPool = TestDatabasePool.open(
                        server, TemplateSpec.of("filesystem:" + medium), configuration.poolSettings())) {
            report.put("server", server.description());
            String user;
            String password;
            try (TestDatabase any = smallPool.lease()) {
                user = any.username();
                password = any.password();
            }
            RawClones raw = new RawClones(server::jdbcUrl, user, password);
            if (on("ceilings", "junit", "readheavy", "alternatives")) {
                Ceilings ceilings = rawLimit(raw, smallPool.templateName(), mediumPool.templateName());
                if (on("junit", "alternatives")) {
                    double[] junit = junitRuns(small, ceilings, raw);
                    if (on("alternatives")) {
                        alternatives(
                                new Alternatives(server.jdbcUrl("postgres"), user, password, small), small, junit[0]);
                    }
                }
                if (on("readheavy")) {
                    readHeavy(small, ceilings, raw);
                }
            }
            if (on("products")) {
                Configuration asTests = Configuration.from(List.of(
                        ConfigSource.of("benchmark", Map.of(ConfigKeys.POOL_SIZE, "1")),
                        ConfigSource.systemProperties(),
                        ConfigSource.environment()));
                ProductSuite.run(server, asTests, raw, target, report);
            }
            if (on("incremental")) {
                incremental(server, target);
            }
        }
        if (on("startup")) {
            startup(small);
        }
        if (on("server")) {
            server(serverJar);
        }
        if (on("spring")) {
            springSuites(spring);
        }
        report.print(target);
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
            report.line("| " + name + ": suite wall time; per test; median gap between tests | "
                    + Stats.format(run.seconds())
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
        report.put("spring suites", rows);
    }

    /** 300 migrations plus one new one: the new template built in full, and on the older one. */
    private void incremental(PostgresServer server, Path target) throws Exception {
        IncrementalBuild.Result result = IncrementalBuild.measure(server, target, 3);
        report.line("| template of 301 migrations, built in full (median of 3) | " + Stats.format(result.fullMillis())
                + " ms | |");
        report.line(
                "| template of 301 migrations, built incrementally on the template of the first 300 (median of 3) | "
                        + Stats.format(result.incrementalMillis()) + " ms | "
                        + Stats.format(result.fullMillis() / result.incrementalMillis()) + "× faster than in full |");
        report.put(
                "incremental build, 300 + 1 migrations",
                Map.of("fullMs", result.fullMillis(), "incrementalMs", result.incrementalMillis()));
    }

    /**
     * The small template's ceilings (clone+drop, and clone+connection+drop, FILE_COPY and WAL_LOG, 1 and 2 sessions),
     * then clone+drop with {@code file_copy_method = clone} and on the medium template.
     */
    private Ceilings rawLimit(RawClones raw, String small, String medium) throws Exception {
        Ceilings ceilings = Ceilings.measure(raw, small, List.of("FILE_COPY", "WAL_LOG"), 100, "small", report);
        // Why the ceilings with a connection drop each clone a cycle late: dropped at once, the closed connection's
        // backend is often still exiting, and DROP DATABASE sleeps 100 ms before it looks again.
        record(
                "raw clone+connection+drop, small, FILE_COPY, 1 session(s), each clone dropped at once after its close",
                raw.connectedCyclesPerSecond(small, "FILE_COPY", 20, 1, false));
        record(
                "raw clone+drop, small, FILE_COPY, file_copy_method=clone, 1 session(s)",
                raw.cyclesPerSecond(small, "FILE_COPY", true, 100, 1));
        record(
                "raw clone+drop, small, FILE_COPY, file_copy_method=clone, 2 session(s)",
                raw.cyclesPerSecond(small, "FILE_COPY", true, 100, 2));
        for (String strategy : List.of("FILE_COPY", "WAL_LOG")) {
            record(
                    "raw clone+drop, medium, " + strategy + ", 1 session",
                    raw.cyclesPerSecond(medium, strategy, false, 10, 1));
        }
        record(
                "raw clone+drop, medium, FILE_COPY, file_copy_method=clone, 1 session",
                raw.cyclesPerSecond(medium, "FILE_COPY", true, 10, 1));
        report.put("raw best small 2 sessions (cycles/s)", ceilings.raw2());
        report.put("small template ceilings", ceilings.json());
        return ceilings;
    }

    /** Returns {sequential ms per test, parallel tests per second}. */
    private double[] junitRuns(Path small, Ceilings ceilings, RawClones meters) throws SQLException {
        Map<String, String> base = new HashMap<>(Map.of(ConfigKeys.FLYWAY_LOCATIONS, "filesystem:" + small));
        JUnitRun.Result warm = JUnitRun.run(WarmPoolTests.class, base);
        report.line("| isolated-postgres, 200 tests of 50 ms, warm pool: handover p50 / p95 / max | "
                + Stats.format(warm.handover().p50()) + " / "
                + Stats.format(warm.handover().p95()) + " / "
                + Stats.format(warm.handover().max()) + " ms | |");
        report.put(
                "warm pool handover",
                Map.of(
                        "p50Ms",
                        warm.handover().p50(),
                        "p95Ms",
                        warm.handover().p95(),
                        "maxMs",
                        warm.handover().max()));
        Map<String, ServerCpu.Meter.Use> cpu = new HashMap<>();
        ServerCpu.Meter meter = meters.meter();
        JUnitRun.Result sequential = JUnitRun.run(TrivialTests.class, base);
        cpu.put("sequential", meter.stop());
        Map<String, String> parallel = new HashMap<>(base);
        parallel.put("junit.jupiter.execution.parallel.enabled", "true");
        parallel.put("junit.jupiter.execution.parallel.mode.default", "concurrent");
        meter = meters.meter();
        JUnitRun.Result concurrent = JUnitRun.run(TrivialTests.class, parallel);
        cpu.put("parallel", meter.stop());
        Map<String, JUnitRun.Result> runs = new LinkedHashMap<>();
        runs.put("sequential", sequential);
        runs.put("parallel", concurrent);
        double raw = ceilings.raw2();
        for (Map.Entry<String, JUnitRun.Result> run : runs.entrySet()) {
            JUnitRun.Result result = run.getValue();
            String name = "isolated-postgres, " + JUNIT_TESTS + " tests, " + run.getKey();
            report.line("| " + name + ": wall time | " + Stats.format(result.seconds()) + " s (" + result.failed()
                    + " failed) | |");
            report.line("| " + name + ": tests/s | " + Stats.format(result.testsPerSecond()) + " | "
                    + Stats.format(result.testsPerSecond() / raw) + "× raw clone+drop |");
            report.line("| " + name + ": tests/s against the ceilings | " + Stats.format(result.testsPerSecond())
                    + " | " + ceilings.ratios(result.testsPerSecond()) + " |");
            report.line("| " + name + ": handover p50 / p95 / max | " + result.handoverCell() + " | |");
            Map<String, Object> json = result.json();
            poolRow(report, name, result);
            ceilings.cpuRow(report, name, cpu.get(run.getKey()), result.tests() + result.failed(), json);
            report.put(name, json);
        }
        report.target(
                "handover p50 <= 2 ms (warm pool)",
                warm.handover().p50() <= 2,
                Stats.format(warm.handover().p50()) + " ms");
        report.target(
                "handover p95 <= 5 ms (warm pool)",
                warm.handover().p95() <= 5,
                Stats.format(warm.handover().p95()) + " ms");
        report.target(
                "sustained tests/s >= 0.9x raw clone+drop (parallel)",
                concurrent.testsPerSecond() >= 0.9 * raw,
                Stats.format(concurrent.testsPerSecond()) + " vs " + Stats.format(raw) + "/s");
        // Sequential runs are held to the best ceiling too, not to the one-session loop: the pool makes, connects and
        // drops clones on its own background threads whatever JUnit's parallelism, so only the tests' own statements
        // are serial, and a sequential run can go as fast as the server turns clones over with two sessions.
        report.target(
                "JUnit sequential tests/s >= 0.9x the best clone+connection+drop ceiling (1 or 2 sessions: "
                        + Stats.format(ceilings.connectedBest()) + "/s)",
                sequential.testsPerSecond() >= 0.9 * ceilings.connectedBest(),
                Stats.format(sequential.testsPerSecond()) + " vs " + Stats.format(ceilings.connectedBest()) + "/s");
        report.target(
                "JUnit parallel tests/s >= 0.9x the 2-session clone+connection+drop ceiling",
                concurrent.testsPerSecond() >= 0.9 * ceilings.connected2(),
                Stats.format(concurrent.testsPerSecond()) + " vs " + Stats.format(ceilings.connected2()) + "/s");
        return new double[] {sequential.seconds() * 1000 / JUNIT_TESTS, concurrent.testsPerSecond()};
    }

    /** 1000 tests of which 80 % only read, run in parallel as the trivial ones are. */
    private void readHeavy(Path small, Ceilings ceilings, RawClones meters) throws SQLException {
        Map<String, String> parameters = new HashMap<>();
        parameters.put(ConfigKeys.FLYWAY_LOCATIONS, "filesystem:" + small);
        parameters.put("junit.jupiter.execution.parallel.enabled", "true");
        parameters.put("junit.jupiter.execution.parallel.mode.default", "concurrent");
        ServerCpu.Meter meter = meters.meter();
        JUnitRun.Result result = JUnitRun.run(ReadHeavyTests.class, parameters);
        ServerCpu.Meter.Use cpu = meter.stop();
        String name = "isolated-postgres, " + ReadHeavyTests.TESTS + " tests, 80 % read-only, parallel";
        report.line("| " + name + ": wall time | " + Stats.format(result.seconds()) + " s (" + result.failed()
                + " failed) | |");
        report.line("| " + name + ": tests/s | " + Stats.format(result.testsPerSecond()) + " | "
                + ceilings.ratios(result.testsPerSecond()) + " |");
        Map<String, Object> json = result.json();
        poolRow(report, name, result);
        ceilings.cpuRow(report, name, cpu, result.tests() + result.failed(), json);
        report.put(name, json);
        report.target(
                "read-heavy tests/s > bare clone+drop rate (2 sessions)",
                result.testsPerSecond() > ceilings.raw2(),
                Stats.format(result.testsPerSecond()) + " vs " + Stats.format(ceilings.raw2()) + "/s");
    }

    /** The row of a run's pool statistics, as the extension reported them at the end of the run. */
    static void poolRow(Report report, String name, JUnitRun.Result result) {
        report.line("| " + name + ": tests that waited for a clone; acquire p50 / p95 / max (pool statistics) | "
                + result.pool().map(JUnitRun.Pool::summary).orElse("n/a (no pool report line in the log)") + " | |");
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
        perTest.forEach((name, ms) -> report.line("| per test: " + name + " | " + Stats.format(ms) + " ms | "
                + Stats.format(ms / ours) + "× isolated-postgres |"));
        report.put("per test ms", perTest);
        report.target(
                ">= 2x faster per test than zonky PreparedDbProvider",
                zonky / ours >= 2,
                Stats.format(zonky / ours) + "×");
        report.target(
                ">= 10x faster per test than migrate-per-test",
                migrate / ours >= 10,
                Stats.format(migrate / ours) + "×");
    }

    /**
     * The server in a process of its own, 8 clients asking for test databases at once, against IntegreSQL's published
     * average acquisition (v1.1.0, a 575-test project on CI: 0.54 ms average, p50 0.06 ms, p95 0.08 ms).
     */
    private void server(Path jar) throws Exception {
        ServerLatency latency = new ServerLatency(jar, Path.of(System.getProperty(ConfigKeys.EMBEDDED_DATA_DIRECTORY)));
        Map<String, Object> rows = new LinkedHashMap<>();
        double writersMean = 0;
        // Tests that write, with work enough for the pool to keep up (8 clients of 600 ms tests ask for ~13 clones a
        // second, this machine makes ~20 with a connection), then with none (the pool's ceiling shows instead); tests
        // that only read, whose databases go straight back.
        record Run(boolean readOnly, Duration work) {}
        for (Run run : List.of(
                new Run(false, Duration.ofMillis(600)), new Run(false, Duration.ZERO), new Run(true, Duration.ZERO))) {
            boolean readOnly = run.readOnly();
            ServerLatency.Result result = latency.measure(25, readOnly, run.work());
            Stats get = Stats.of(result.testDatabase());
            Stats noOp = Stats.of(result.noOp());
            double mean = result.testDatabase().stream()
                            .mapToLong(Long::longValue)
                            .average()
                            .orElse(Double.NaN)
                    / 1e6;
            String name = "server (java -jar … serve), " + ServerLatency.CLIENTS + " clients, " + result.tests()
                    + " tests " + (readOnly ? "that only read, unlock" : "that write, recreate") + ", "
                    + run.work().toMillis() + " ms of work each";
            report.line("| " + name + ": GET test database p50 / p95 / mean / max | " + Stats.format(get.p50())
                    + " / " + Stats.format(get.p95()) + " / " + Stats.format(mean) + " / " + Stats.format(get.max())
                    + " ms | " + Stats.format(mean / 0.54) + "× IntegreSQL's published average 0.54 ms (p50 0.06, p95"
                    + " 0.08); " + Stats.format(result.tests() / result.seconds()) + " tests/s |");
            report.line("| " + name + ": HTTP round trip of a request that does nothing, p50 / p95 | "
                    + Stats.format(noOp.p50()) + " / " + Stats.format(noOp.p95()) + " ms | the floor of any request |");
            rows.put(
                    name,
                    Map.of(
                            "p50Ms", get.p50(),
                            "p95Ms", get.p95(),
                            "meanMs", mean,
                            "maxMs", get.max(),
                            "noOpP50Ms", noOp.p50(),
                            "testsPerSecond", result.tests() / result.seconds()));
            if (!readOnly && !run.work().isZero()) {
                writersMean = mean;
            }
        }
        report.put("server latency", rows);
        report.target(
                "server: test-database latency (8 clients, tests that write, 600 ms of work) averages at most"
                        + " IntegreSQL's 0.54 ms",
                writersMean <= 0.54,
                Stats.format(writersMean) + " ms");
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
                report.line("| start-up, " + run.getKey() + ": JVM start / engine start to first test ready | "
                        + result.jvmToFirstTestMillis() + " / " + result.engineToFirstTestMillis() + " ms | migrations "
                        + (result.migrationsRan() ? "ran" : "not run") + " |");
                report.put(
                        "startup " + run.getKey(),
                        Map.of(
                                "jvmToFirstTestMs", result.jvmToFirstTestMillis(),
                                "engineToFirstTestMs", result.engineToFirstTestMillis(),
                                "migrationsRan", result.migrationsRan()));
            }
            report.target(
                    "warm cache: first test ready within 0.5 s of the engine start",
                    warm.engineToFirstTestMillis() <= 500,
                    warm.engineToFirstTestMillis() + " ms");
            report.target(
                    "warm cache: 0 migrations executed", !warm.migrationsRan(), warm.migrationsRan() ? "ran" : "none");
        } finally {
            deleteTree(data);
        }
    }

    private void record(String name, RawClones.Result result) {
        String value = Double.isNaN(result.perSecond())
                ? "n/a (" + result.failure() + ")"
                : Stats.format(result.perSecond()) + " cycles/s";
        report.line("| " + name + " | " + value + " | " + result.phases().summary() + " |");
        report.put(name, Double.isNaN(result.perSecond()) ? result.failure() : result.perSecond());
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
