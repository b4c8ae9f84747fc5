package org.isolatedpg.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Spring Boot shop's suite (module benchmarks-spring: the application of examples-spring, one set of test bodies)
 * under each way of giving its tests a clean database, each variant in a JVM of its own on that module's classpath, so
 * that its Spring dependencies stay out of this one.
 */
final class SpringSuites {

    private static final String PACKAGE = "org.isolatedpg.benchmarks.spring.";

    /** A variant: its test class in benchmarks-spring, how its tests run, and what the table calls it. */
    record Variant(String testClass, boolean parallel, String label) {}

    record Result(Variant variant, long tests, long failed, double seconds, double medianGapMillis) {
        double millisPerTest() {
            return seconds * 1000 / tests;
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("IsolatedPostgresShopTests", false, "isolated-postgres-spring"),
            new Variant(
                    "ZonkyRefreshShopTests",
                    false,
                    "zonky, @AutoConfigureEmbeddedDatabase(refresh = AFTER_EACH_TEST_METHOD)"),
            new Variant("TruncatingShopTests", false, "one shared database, @Sql truncate script after each test"),
            new Variant(
                    "DirtiesContextShopTests", false, "@DirtiesContext after each test (zonky database per context)"),
            new Variant("IsolatedPostgresShopTests", true, "isolated-postgres-spring"));

    private SpringSuites() {}

    /** Runs every variant; {@code module} is benchmarks-spring's target directory. */
    static List<Result> run(Path module) throws IOException, InterruptedException {
        String classpath = module.resolve("classes")
                + java.io.File.pathSeparator
                + Files.readString(module.resolve("benchmark-classpath.txt")).trim();
        List<Result> results = new ArrayList<>();
        for (Variant variant : VARIANTS) {
            results.add(run(variant, classpath));
        }
        return results;
    }

    private static Result run(Variant variant, String classpath) throws IOException, InterruptedException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dlogging.level.root=WARN",
                "-Dspring.main.banner-mode=off",
                "-cp",
                classpath,
                PACKAGE + "SpringSuiteMain",
                PACKAGE + variant.testClass(),
                variant.parallel() ? "parallel" : "sequential");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(10, TimeUnit.MINUTES) || child.exitValue() != 0) {
            throw new IllegalStateException("The Spring suite " + variant + " failed:\n" + output);
        }
        String[] suite = output.lines()
                .filter(line -> line.startsWith("SUITE "))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No SUITE line from " + variant + ":\n" + output))
                .split(" ");
        long failed = Long.parseLong(suite[2]);
        if (failed > 0) {
            output.lines()
                    .filter(line -> line.startsWith("FAILED ") || line.startsWith("Caused by: "))
                    .limit(6)
                    .forEach(line -> System.err.println(variant.testClass() + ": " + line));
        }
        return new Result(
                variant,
                Long.parseLong(suite[1]),
                failed,
                Long.parseLong(suite[3]) / 1000.0,
                Double.parseDouble(suite[4]));
    }
}
