package org.isolatedpg.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A JVM running {@link ChildMain}, configured through system properties, talking through marker lines on its standard
 * output ({@code OWNER …}, {@code LEASED …}) and commands on its standard input.
 */
final class ChildJvm implements AutoCloseable {

    /** Set in every child: fixtures that wait for commands on standard input run only there. */
    static final String CHILD_PROPERTY = "fault-tests.child";

    private final Process process;
    private final BufferedReader output;
    private final List<String> lines = new ArrayList<>();
    private String owner;

    private ChildJvm(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildJvm start(TargetServer server, String... action) throws IOException {
        return start(server.values(), action);
    }

    static ChildJvm start(Map<String, String> configuration, String... action) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        configuration.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-D" + CHILD_PROPERTY + "=true");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildMain.class.getName()));
        command.addAll(List.of(action));
        return new ChildJvm(new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start());
    }

    /** The words of the first line from now on starting with {@code marker}, waiting for it. */
    List<String> awaitLine(String marker) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        String line;
                        while ((line = output.readLine()) != null) {
                            lines.add(line);
                            if (line.startsWith("OWNER ")) {
                                owner = line.substring(6).trim();
                            }
                            if (line.startsWith(marker)) {
                                return List.of(line.trim().split(" "));
                            }
                        }
                        throw new IllegalStateException("The child exited (" + exitCode() + ") before printing "
                                + marker + "; it said " + lines);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .get(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private String exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The child's owner id, once it printed it. */
    String owner() throws Exception {
        if (owner == null) {
            awaitLine("OWNER");
        }
        return owner;
    }

    long pid() {
        return process.pid();
    }

    /** Sends a command line ({@code exit}, {@code halt}) to the child. */
    void send(String command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** SIGKILL: no shutdown hook, no finally. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Closes its standard input: it releases everything and exits normally; true if it did within the timeout. */
    boolean stop(long timeoutSeconds) throws IOException, InterruptedException {
        process.getOutputStream().close();
        return process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** Waits for the child to end by itself; its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("The child did not exit within " + Await.PATIENCE);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
