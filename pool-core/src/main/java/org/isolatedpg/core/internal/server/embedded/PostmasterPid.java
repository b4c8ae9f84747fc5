package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code postmaster.pid}, the lock file a postmaster keeps in its data directory, and the process it names. Its lines:
 * 1 the pid, 2 the data directory, 3 the start time (seconds since the epoch), 4 the port, …, 8 the status
 * ({@code starting}, {@code ready}, …), written as the postmaster goes.
 *
 * <p>A postmaster killed with SIGKILL, or a machine that went down, leaves the file behind, and its pid may since
 * belong to another process. {@code pg_ctl} trusts the pid (its {@code status} is {@code kill(pid, 0)}, its
 * {@code stop} signals it), so nothing here hands the file to {@code pg_ctl} before {@link #livePostmaster} has
 * checked that the pid is alive, is a {@code postgres} executable, and started when line 3 says, where the system
 * tells a process's start time. What is left is the few milliseconds between that check and {@code pg_ctl} reading
 * the file, in which the postmaster would have to die and its pid be taken again.
 */
final class PostmasterPid {

    /**
     * How far the process's start may be from line 3. The process starts (is forked) before the postmaster notes its
     * start time, and line 3 is in whole seconds; a recycled pid started at some other moment.
     */
    private static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(5);

    private PostmasterPid() {}

    /** The file's lines; empty when there is none or it is being rewritten. */
    static List<String> lines(Path data) {
        Path file = data.resolve("postmaster.pid");
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of(); // being rewritten by the postmaster
        }
    }

    /** The postmaster's process id; fails when the file is missing or incomplete. */
    static long pid(Path data) throws IOException {
        List<String> lines = lines(data);
        if (lines.isEmpty()) {
            throw new IOException("No postmaster runs in " + data + ": it has no readable postmaster.pid");
        }
        return Long.parseLong(lines.get(0).trim());
    }

    /** The running postmaster of this data directory, if {@code postmaster.pid} names one. */
    static Optional<ProcessHandle> livePostmaster(Path data) {
        List<String> lines = lines(data);
        if (lines.size() < 3) {
            return Optional.empty();
        }
        Optional<Instant> started = epochSeconds(lines.get(2));
        return process(lines)
                .filter(process -> isPostgres(process).orElse(false))
                .filter(process -> started.isEmpty() || startedAt(process, started.get()));
    }

    /**
     * Removes {@code postmaster.pid} when it names a live process that is not {@code postgres}: a pid taken again
     * after the postmaster died. PostgreSQL would refuse to start on it ("lock file already exists"), and no
     * postmaster owns it. A dead pid is left to PostgreSQL, which removes such a file itself after checking that no
     * orphaned server process still uses the old shared memory.
     */
    static void removeIfForeign(Path data) throws IOException {
        List<String> lines = lines(data);
        Optional<ProcessHandle> process = lines.isEmpty() ? Optional.empty() : process(lines);
        if (process.isPresent() && !isPostgres(process.get()).orElse(true)) {
            Files.deleteIfExists(data.resolve("postmaster.pid"));
        }
    }

    /** Removes {@code postmaster.pid} when the process it names is gone: what a postmaster that died left. */
    static void removeIfStale(Path data) throws IOException {
        List<String> lines = lines(data);
        if (!lines.isEmpty() && process(lines).isEmpty()) {
            Files.deleteIfExists(data.resolve("postmaster.pid"));
        }
    }

    private static Optional<ProcessHandle> process(List<String> lines) {
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            return pid > 0 ? ProcessHandle.of(pid).filter(ProcessHandle::isAlive) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the process runs the {@code postgres} executable; empty when the system does not say. */
    private static Optional<Boolean> isPostgres(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        return info.command()
                .or(() -> info.commandLine().map(line -> line.split(" ")[0]))
                .map(command -> {
                    String name = command.substring(Math.max(command.lastIndexOf('/'), command.lastIndexOf('\\')) + 1);
                    return name.equals("postgres") || name.equals("postgres.exe");
                });
    }

    private static boolean startedAt(ProcessHandle process, Instant started) {
        return process.info()
                .startInstant()
                .map(instant -> Duration.between(instant, started).abs().compareTo(START_TIME_TOLERANCE) <= 0)
                .orElse(true);
    }

    private static Optional<Instant> epochSeconds(String line) {
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(line.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
