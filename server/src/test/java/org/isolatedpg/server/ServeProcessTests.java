package org.isolatedpg.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} in a process of its own, as users run it: SIGTERM closes it cleanly (its test databases dropped, exit
 * code 0), and after SIGKILL the next start's janitor drops what the dead one left. On a cluster of its own.
 */
class ServeProcessTests {

    @TempDir
    static Path data;

    /** A server process and what it printed so far. */
    private record Serving(Process process, String url, StringBuffer output, Thread reader) {

        /** Waits for the process to exit and its output to be read; returns its exit code. */
        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("exited: %s", output)
                    .isTrue();
            reader.join(10_000);
            return process.exitValue();
        }
    }

    private static Serving serve() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "serve")
                .redirectErrorStream(true);
        builder.environment().put("INTEGRESQL_PORT", Integer.toString(port));
        builder.environment().put("ISOLATEDPG_EMBEDDED_DATA_DIRECTORY", data.toString());
        Process process = builder.start();
        StringBuffer output = new StringBuffer();
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            output.append(line).append('\n');
            if (line.contains("listening on http://127.0.0.1:" + port)) {
                Thread drain = new Thread(
                        () -> lines.lines().forEach(rest -> output.append(rest).append('\n')), "serve-output");
                drain.setDaemon(true);
                drain.start();
                return new Serving(process, "http://127.0.0.1:" + port, output, drain);
            }
        }
        throw new AssertionError("serve exited before it listened:\n" + output);
    }

    @Test
    void sigtermClosesCleanlyAndAfterSigkillTheNextStartDropsWhatWasLeft() throws Exception {
        Serving first = serve();
        Api api = new Api(first.url());
        IntegresqlApiTests.ready(api, "process-hash");
        List<String> handed = List.of(
                api.testDatabase("process-hash").database(),
                api.testDatabase("process-hash").database());
        first.process().toHandle().destroy(); // SIGTERM (Process#destroy would also close its output)
        assertThat(first.awaitExit()).as(first.output().toString()).isZero();
        assertThat(first.output().toString()).contains("isolated-postgres server stopped");

        Serving second = serve();
        try {
            Api restarted = new Api(second.url());
            Api.Reply secondAdmin = admin(restarted); // the cluster was stopped with the first: a new port
            for (String database : handed) {
                assertThat(Servers.databases(secondAdmin, database))
                        .as("dropped on SIGTERM")
                        .isEmpty();
            }
            assertThat(restarted.initialize("process-hash").status()).isEqualTo(423);
            String orphan = restarted.testDatabase("process-hash").database();
            assertThat(Servers.databases(secondAdmin, "ipg_tpl_")).hasSize(1);
            second.process().destroyForcibly(); // SIGKILL: nothing is dropped
            assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

            Serving third = serve();
            try {
                Api.Reply newAdmin = admin(new Api(third.url()));
                assertThat(Servers.databases(newAdmin, "ipg_tpl_"))
                        .as("the template stays")
                        .hasSize(1);
                Servers.awaitDropped(Duration.ofSeconds(60), "the janitor dropping " + orphan, newAdmin, orphan);
                assertThat(new Api(third.url()).discard("process-hash").status())
                        .isEqualTo(204);
            } finally {
                third.process().toHandle().destroy(); // the last JVM to leave stops the cluster
                third.process().waitFor(60, TimeUnit.SECONDS);
            }
        } finally {
            second.process().destroyForcibly();
        }
    }

    /** A reply carrying the admin's credentials on the server behind {@code api}: a build database's. */
    private static Api.Reply admin(Api api) {
        String hash = "admin-" + System.nanoTime();
        Api.Reply initialized = api.initialize(hash);
        assertThat(initialized.status()).isEqualTo(200);
        api.discard(hash);
        return initialized;
    }
}
