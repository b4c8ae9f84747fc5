package org.isolatedpg.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** JVM start to first test ready, in a child JVM: with an empty data directory, then with the warm one. */
final class Startup {

    private Startup() {}

    record Result(long jvmToFirstTestMillis, long engineToFirstTestMillis, boolean migrationsRan, String report) {}

    static Result measure(Path dataDirectory, Path schema) throws IOException, InterruptedException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StartupMain.class.getName(),
                dataDirectory.toString(),
                schema.toString());
        long launched = System.currentTimeMillis();
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(5, TimeUnit.MINUTES) || child.exitValue() != 0) {
            throw new IllegalStateException("The start-up JVM failed:\n" + output);
        }
        long engineStarted = marker(output, "ENGINE_STARTED");
        long firstTest = marker(output, "FIRST_TEST_READY");
        String report = output.lines()
                .filter(line -> line.contains(" template "))
                .findFirst()
                .orElse("");
        return new Result(
                firstTest - launched, firstTest - engineStarted, report.contains(" built in "), report.trim());
    }

    private static long marker(String output, String marker) {
        return output.lines()
                .filter(line -> line.startsWith(marker + " "))
                .map(line -> Long.parseLong(line.substring(marker.length() + 1).trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No " + marker + " in:\n" + output));
    }
}
