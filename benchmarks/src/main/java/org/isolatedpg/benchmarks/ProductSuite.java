package org.isolatedpg.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PoolStatistics;
import org.isolatedpg.core.PostgresServer;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.TestDatabasePool;

/**
 * The real-world schema's rows: its template (built from {@link ProductDdl}'s scripts), its own ceilings, and
 * {@link ProductTests} run through the launcher with JUnit's fixed parallelism of 4, with the server's activity
 * sampled meanwhile.
 */
final class ProductSuite {

    private static final String NAME = "real-world schema";
    private static final int PARALLELISM = 4;

    private ProductSuite() {}

    /**
     * Runs the rows. {@code configuration} must give tests the privileges the extension gives them (its default), so
     * that the template measured here is the one the tests clone: the privileges are part of a template's content.
     */
    static void run(PostgresServer server, Configuration configuration, RawClones raw, Path target, Report report)
            throws Exception {
        Path scripts = ProductDdl.write(target);
        String location = "filesystem:" + scripts;
        Ceilings ceilings;
        String label;
        try (TestDatabasePool pool = TestDatabasePool.open(
                server, TemplateSpec.builder().scripts(location).build(), configuration.poolSettings())) {
            PoolStatistics built = pool.statistics();
            int[] counts;
            try (TestDatabase database = pool.lease()) {
                counts = count(database);
            }
            label = NAME + " (" + counts[0] + " tables)";
            report.line("| " + NAME + ": " + ProductDdl.PRODUCTS.size() + " products' published DDL, "
                    + counts[0] + " tables, " + counts[1]
                    + " relations with their indexes, sequences and TOAST tables: template "
                    + (built.templateReused() ? "found" : "built") + " in " + built.templateMillis() + " ms | "
                    + counts[0] + " tables | "
                    + String.join(
                            ", ",
                            ProductDdl.PRODUCTS.stream()
                                    .map(ProductDdl.Product::label)
                                    .toList())
                    + " |");
            report.put(
                    NAME,
                    Map.of(
                            "tables",
                            counts[0],
                            "relations",
                            counts[1],
                            "templateMs",
                            built.templateMillis(),
                            "templateReused",
                            built.templateReused()));
            ceilings = Ceilings.measure(raw, pool.templateName(), List.of("FILE_COPY", "WAL_LOG"), 40, label, report);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(ConfigKeys.SCRIPTS, location);
        parameters.put("junit.jupiter.execution.parallel.enabled", "true");
        parameters.put("junit.jupiter.execution.parallel.mode.default", "concurrent");
        parameters.put("junit.jupiter.execution.parallel.config.strategy", "fixed");
        parameters.put("junit.jupiter.execution.parallel.config.fixed.parallelism", String.valueOf(PARALLELISM));
        JUnitRun.Result result;
        Map<String, Double> busiest;
        Map<String, Double> cpuByKind;
        double[] backendsPerClone;
        long samples;
        ServerCpu.Meter.Use cpu;
        try (ActivitySampler sampler = raw.sampler(20)) {
            ServerCpu.Meter meter = raw.meter();
            result = JUnitRun.run(ProductTests.class, parameters);
            cpu = meter.stop();
            busiest = sampler.busiest(8);
            cpuByKind = sampler.cpuByKind();
            backendsPerClone = sampler.backendsPerClone();
            samples = sampler.samples();
        }
        String name =
                "isolated-postgres, " + ProductTests.TESTS + " tests on the " + NAME + ", parallelism " + PARALLELISM;
        report.line("| " + name + ": wall time | " + Stats.format(result.seconds()) + " s (" + result.failed()
                + " failed) | |");
        report.line("| " + name + ": tests/s | " + Stats.format(result.testsPerSecond()) + " | "
                + ceilings.ratios(result.testsPerSecond()) + " |");
        report.line("| " + name + ": handover p50 / p95 / max | " + result.handoverCell() + " | |");
        Benchmark.poolRow(report, name, result);
        report.line("| " + NAME + ": first connection to a fresh clone (open + one query), p50: wall / server CPU | "
                + Stats.format(ceilings.firstConnectionMillis()) + " / "
                + Stats.format(ceilings.firstConnectionCpuMillis()) + " ms | |");
        double millisPerTest = result.seconds() * 1000 / (result.tests() + result.failed());
        report.line("| " + name + ": server activity: backend time per test by what the backend did (" + samples
                + " samples of pg_stat_activity) | " + describe(busiest, millisPerTest) + " | |");
        int tests = (int) (result.tests() + result.failed());
        report.line("| " + name + ": backends per clone (each seen in a sample at least once) | "
                + Stats.format(backendsPerClone[1]) + " | over " + (int) backendsPerClone[0] + " clones seen |");
        report.line("| " + name + ": server CPU per test by kind of process (read at each sample) | "
                + (cpuByKind.isEmpty()
                        ? "n/a"
                        : String.join(
                                "; ",
                                cpuByKind.entrySet().stream()
                                        .map(entry ->
                                                entry.getKey() + " " + Stats.format(entry.getValue() / tests) + " ms")
                                        .toList()))
                + " | |");
        Map<String, Object> json = result.json();
        ceilings.cpuRow(report, name, cpu, result.tests() + result.failed(), json);
        json.put("ceilings", ceilings.json());
        json.put("serverBackendMsPerTestByActivity", scaled(busiest, millisPerTest));
        json.put("serverCpuMsPerTestByProcess", scaled(cpuByKind, 1.0 / tests));
        json.put("backendsPerClone", backendsPerClone[1]);
        report.put(name, json);
        report.target(
                NAME + ": tests/s >= 0.9x its own best clone+connection+drop ceiling (parallelism " + PARALLELISM + ")",
                result.testsPerSecond() >= 0.9 * ceilings.connectedBest(),
                Stats.format(result.testsPerSecond()) + " vs " + Stats.format(ceilings.connectedBest()) + "/s");
    }

    /** {@code [tables, relations]} of the products' schemas in the clone. */
    private static int[] count(TestDatabase database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT"
                        + " (SELECT count(*) FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
                        + " AND table_schema IN (" + ProductDdl.schemaList() + ")),"
                        + " (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                        + " ON n.oid = c.relnamespace WHERE n.nspname IN (" + ProductDdl.schemaList()
                        + ") OR c.oid IN (SELECT reltoastrelid FROM pg_catalog.pg_class k JOIN pg_catalog.pg_namespace"
                        + " m ON m.oid = k.relnamespace WHERE m.nspname IN (" + ProductDdl.schemaList() + ")))")) {
            row.next();
            return new int[] {row.getInt(1), row.getInt(2)};
        }
    }

    private static Map<String, Double> scaled(Map<String, Double> values, double factor) {
        Map<String, Double> scaled = new LinkedHashMap<>();
        values.forEach((key, value) -> scaled.put(key, value * factor));
        return scaled;
    }

    /** {@code CREATE DATABASE in maintenance db / on CPU 40 ms; …}: average busy backends times each test's share. */
    private static String describe(Map<String, Double> busiest, double millisPerTest) {
        return String.join(
                "; ",
                busiest.entrySet().stream()
                        .map(entry -> entry.getKey() + " " + Stats.format(entry.getValue() * millisPerTest) + " ms")
                        .toList());
    }
}
