package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PostgreSQL programs ({@code initdb}, {@code pg_ctl}) of one cluster, each within a time limit, with its
 * output in {@code <program>.log} in the cluster directory. Output goes to a file, not a pipe: {@code pg_ctl start}
 * leaves the postmaster running with the output it inherited, and a pipe nobody reads would block it.
 */
final class Programs {

    private final Commands commands;
    private final Path directory;
    private final Duration limit;

    /** {@code limit} bounds each program's run; past it, the program is killed. */
    Programs(Commands commands, Path directory, Duration limit) {
        this.commands = commands;
        this.directory = directory;
        this.limit = limit;
    }

    /** Runs the program; fails with its output unless it exits with 0. */
    void run(String program, List<String> arguments) throws IOException, InterruptedException {
        int exit = exitCode(program, arguments);
        if (exit != 0) {
            throw new IOException(program + " failed with exit code " + exit + ":\n" + output(program));
        }
    }

    /** Runs the program and returns its exit code. */
    int exitCode(String program, List<String> arguments) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(commands.of(program, arguments))
                .redirectErrorStream(true)
                .redirectOutput(log(program).toFile())
                .start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(program + " did not finish within " + limit + ":\n" + output(program));
        }
        return process.exitValue();
    }

    /** What the program's last run printed. */
    String output(String program) throws IOException {
        Path log = log(program);
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private Path log(String program) {
        return directory.resolve(program + ".log");
    }
}
