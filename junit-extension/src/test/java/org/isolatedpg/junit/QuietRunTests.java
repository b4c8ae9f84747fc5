package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * At INFO, a run prints our start lines and our report, and nothing per test: HikariCP's pool start and stop lines
 * (three or four for every pool, and every test has a pool) stay out. Run in a JVM of its own with every logger at
 * INFO, as a Spring Boot or slf4j-simple default would have it.
 */
class QuietRunTests {

    private static final Pattern CLONE = Pattern.compile("ipg_[0-9a-f]{12}_[0-9a-f]{8}_[0-9]+");

    @Test
    void aRunOfThirtyTestsLogsNothingPerTest() throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                        "-Dorg.slf4j.simpleLogger.log.com.zaxxer.hikari=info",
                        "-Dorg.slf4j.simpleLogger.log.org.flywaydb=info",
                        "-cp",
                        System.getProperty("java.class.path"),
                        QuietRunMain.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        List<String> lines = output.lines().toList();

        assertThat(lines).as(output).contains("TESTS 30 SUCCEEDED 30");
        assertThat(lines)
                .as("lines naming a test's database or HikariCP")
                .noneMatch(line -> line.contains("com.zaxxer.hikari")
                        // The janitor names the databases of JVMs that died (an earlier test's): not this run's.
                        || (CLONE.matcher(line).find() && !line.contains(".Janitor ")));
        // Start lines (server, template, Flyway's own) and the report: a handful, not one per test.
        assertThat(lines).as(output).hasSizeLessThan(30);
    }
}
