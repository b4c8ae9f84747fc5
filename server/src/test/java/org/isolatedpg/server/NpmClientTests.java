package org.isolatedpg.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.isolatedpg.server.internal.cli.RunningServer;
import org.isolatedpg.server.internal.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IntegreSQL's own npm client ({@code @devoxa/integresql-client}, from the npm registry, run by Node) against the
 * server, in eight parallel workers: the first run migrates the template exactly once across all of them, and a run
 * after a server restart migrates it zero times.
 */
class NpmClientTests {

    private static final Servers.Hashes HASHES = new Servers.Hashes();

    private static final Path SOURCES = Path.of("src/test/node");
    private static final Path PROJECT = Path.of("target/npm-client");

    @BeforeAll
    static void installTheClient() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        Assumptions.assumeTrue(
                ci || (onPath("node") && onPath("npm")), "Node.js and npm are not on the PATH (CI=true fails instead)");
        Files.createDirectories(PROJECT);
        for (String file : List.of("package.json", "package-lock.json", "workers.js")) {
            Files.copy(SOURCES.resolve(file), PROJECT.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of());
        assertThat(install.exit()).as("npm ci: %s", install.output()).isZero();
    }

    /**
     * Room for the eight workers' test databases and the one the client's initializeTemplate takes to warm up, which
     * it never gives back: with IntegreSQL's default cap on this 2-core machine (8, less the 4 kept ready) the oldest
     * would be recycled, as IntegreSQL does, under a worker slower than the minimal lifetime to connect.
     */
    private static final Map<String, String> ROOM = Map.of("INTEGRESQL_TEST_MAX_POOL_SIZE", "16");

    @Test
    void parallelWorkersMigrateOnceAndNotAtAllAfterARestart() throws Exception {
        String hash = HASHES.fresh();
        try (RunningServer server = Servers.start(ROOM)) {
            Map<String, Object> first = workers(server, hash);
            assertThat(first.get("migrations"))
                    .as("migrations across 8 workers")
                    .isEqualTo(1.0);
            assertThat((List<?>) first.get("databases")).hasSize(8).doesNotHaveDuplicates();
            assertThat(first.get("rowsBefore").toString()).isEqualTo("[2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]");
        }
        try (RunningServer restarted = Servers.start(ROOM)) {
            Map<String, Object> second = workers(restarted, hash);
            assertThat(second.get("migrations"))
                    .as("migrations after a restart")
                    .isEqualTo(0.0);
            assertThat((List<?>) second.get("databases")).hasSize(8).doesNotHaveDuplicates();
            assertThat(second.get("rowsBefore").toString()).isEqualTo("[2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]");
        } finally {
            HASHES.discardAll();
        }
    }

    private static Map<String, Object> workers(RunningServer server, String hash) throws Exception {
        Result result = run(
                List.of("node", "workers.js"),
                Map.of("INTEGRESQL_URL", server.url(), "TEMPLATE_HASH", hash, "WORKERS", "8"));
        assertThat(result.exit()).as("node workers.js: %s", result.output()).isZero();
        String last = result.output().strip().lines().reduce((a, b) -> b).orElse("");
        return Json.object(last);
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .directory(PROJECT.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within 5 minutes");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
