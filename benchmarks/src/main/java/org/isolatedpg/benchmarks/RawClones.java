package org.isolatedpg.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The ceilings: bare loops of what every test needs from the server and nothing else. Without a connection, CREATE
 * DATABASE … TEMPLATE and DROP DATABASE; with one, also the test's first connection to its clone (a new backend, one
 * trivial query) and its close.
 */
final class RawClones {

    /** In the names of the databases made, so that those an interrupted earlier run left never collide with them. */
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    private final UnaryOperator<String> urls;
    private final String user;
    private final String password;

    /** {@code urls} gives the JDBC URL of a database on the server from its name. */
    RawClones(UnaryOperator<String> urls, String user, String password) {
        this.urls = urls;
        this.user = user;
        this.password = password;
    }

    /** Starts measuring the CPU the server and this JVM use from now on. */
    ServerCpu.Meter meter() throws SQLException {
        return ServerCpu.Meter.start(urls.apply("postgres"), user, password);
    }

    /** Samples the server's activity from now on, every {@code intervalMillis}. */
    ActivitySampler sampler(long intervalMillis) throws SQLException {
        return new ActivitySampler(urls.apply("postgres"), user, password, intervalMillis);
    }

    /** Create+drop cycles per second with {@code sessions} sessions at once; NaN with the reason when unsupported. */
    Result cyclesPerSecond(String template, String strategy, boolean cloneFiles, int cycles, int sessions)
            throws Exception {
        return measure(
                sessions,
                cycles,
                (session, phases) -> loop(
                        template, strategy, cloneFiles, cycles / sessions, "raw_" + RUN + "_" + session + "_", phases));
    }

    /**
     * Create, connect (open a JDBC connection to the clone and run {@code SELECT 1}, as a test's first statement does),
     * close, drop: cycles per second with {@code sessions} sessions at once.
     *
     * <p>Each clone is dropped one cycle later, after the next one is made. A {@code DROP DATABASE} sent the instant
     * its last client disconnected finds that client's backend still exiting and sleeps 100 ms before it looks again
     * (PostgreSQL's {@code CountOtherDBBackends}): a loop that dropped at once would measure that sleep, which is no
     * work the server has to do, and be no ceiling. A pool drops used clones in the background; so does this loop.
     */
    Result connectedCyclesPerSecond(String template, String strategy, int cycles, int sessions, boolean deferDrop)
            throws Exception {
        return measure(
                sessions,
                cycles,
                (session, phases) -> connectedLoop(
                        template, strategy, cycles / sessions, "rawc_" + RUN + "_" + session + "_", deferDrop, phases));
    }

    private interface Loop {
        void run(int session, Phases phases) throws SQLException;
    }

    private Result measure(int sessions, int cycles, Loop loop) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(sessions);
        Phases phases = new Phases();
        List<Long> background;
        try (Connection connection = DriverManager.getConnection(urls.apply("postgres"), user, password)) {
            background = ServerCpu.backgroundPids(connection);
        }
        long backgroundBefore = ServerCpu.total(background);
        try {
            List<Future<Void>> done = new ArrayList<>();
            long started = System.nanoTime();
            for (int s = 0; s < sessions; s++) {
                int session = s;
                done.add(threads.submit(() -> {
                    loop.run(session, phases);
                    return null;
                }));
            }
            for (Future<Void> future : done) {
                future.get(10, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long backgroundAfter = ServerCpu.total(background);
            int made = cycles / sessions * sessions;
            if (backgroundBefore >= 0 && backgroundAfter >= 0) {
                phases.backgroundCpuPerCycle = (backgroundAfter - backgroundBefore) / made;
            }
            return new Result(made / seconds, "", phases);
        } catch (java.util.concurrent.ExecutionException e) {
            return new Result(
                    Double.NaN, e.getCause().getMessage().lines().findFirst().orElse(""), phases);
        } finally {
            threads.shutdownNow();
        }
    }

    private void loop(String template, String strategy, boolean cloneFiles, int cycles, String prefix, Phases phases)
            throws SQLException {
        try (Connection connection = DriverManager.getConnection(urls.apply("postgres"), user, password);
                Statement statement = connection.createStatement()) {
            if (cloneFiles) {
                statement.execute("SET file_copy_method = clone");
            }
            Cpu cpu = new Cpu(connection);
            for (int i = 0; i < cycles; i++) {
                String name = prefix + i;
                long started = System.nanoTime();
                cpu.mark();
                statement.execute("CREATE DATABASE " + name + " TEMPLATE " + template + " STRATEGY " + strategy);
                phases.createCpu.add(cpu.mark());
                long created = System.nanoTime();
                statement.execute("DROP DATABASE " + name);
                phases.dropCpu.add(cpu.mark());
                phases.create.add(created - started);
                phases.drop.add(System.nanoTime() - created);
            }
        }
    }

    private void connectedLoop(
            String template, String strategy, int cycles, String prefix, boolean deferDrop, Phases phases)
            throws SQLException {
        try (Connection admin = DriverManager.getConnection(urls.apply("postgres"), user, password);
                Statement statement = admin.createStatement()) {
            String previous = null;
            Cpu cpu = new Cpu(admin);
            for (int i = 0; i < cycles; i++) {
                String name = prefix + i;
                long started = System.nanoTime();
                cpu.mark();
                statement.execute("CREATE DATABASE " + name + " TEMPLATE " + template + " STRATEGY " + strategy);
                phases.createCpu.add(cpu.mark());
                long created = System.nanoTime();
                try (Connection test = DriverManager.getConnection(urls.apply(name), user, password)) {
                    // The trivial query asks for the backend's CPU time so far: its start-up and this query.
                    phases.connectCpu.add(ServerCpu.backend(test));
                }
                long connected = System.nanoTime();
                String drop = deferDrop ? previous : name;
                if (drop != null) {
                    cpu.mark();
                    statement.execute("DROP DATABASE " + drop);
                    phases.dropCpu.add(cpu.mark());
                    phases.drop.add(System.nanoTime() - connected);
                }
                phases.create.add(created - started);
                phases.connect.add(connected - created);
                previous = deferDrop ? name : null;
            }
            if (previous != null) {
                statement.execute("DROP DATABASE " + previous + " WITH (FORCE)");
            }
        }
    }

    /** The CPU time of one backend between two marks; -1 where it cannot be read. */
    private static final class Cpu {
        private final long pid;
        private long last;

        Cpu(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
                row.next();
                this.pid = row.getLong(1);
            }
            this.last = ServerCpu.nanos(pid);
        }

        /** The CPU nanoseconds since the last mark. */
        long mark() {
            long now = ServerCpu.nanos(pid);
            long spent = now < 0 || last < 0 ? -1 : now - last;
            last = now;
            return spent;
        }
    }

    /**
     * Nanoseconds each step of a cycle took, over all sessions: wall time, and the server's CPU time (the backend that
     * ran the step; for the connection, the new backend's whole life up to its first query) where it can be read.
     */
    static final class Phases {
        final List<Long> create = new CopyOnWriteArrayList<>();
        final List<Long> connect = new CopyOnWriteArrayList<>();
        final List<Long> drop = new CopyOnWriteArrayList<>();
        final List<Long> createCpu = new CopyOnWriteArrayList<>();
        final List<Long> connectCpu = new CopyOnWriteArrayList<>();
        final List<Long> dropCpu = new CopyOnWriteArrayList<>();
        /** The checkpointer's, WAL writer's, I/O workers' … CPU per cycle, or -1. */
        volatile long backgroundCpuPerCycle = -1;

        /**
         * {@code create p50 12.3 ms, connect+SELECT 1 p50 4.56 ms, drop p50 7.89 ms; server CPU per cycle (p50):
         * create 9.1, connection 3.2, drop 4.4, background processes 1.2 ms}.
         */
        String summary() {
            String wall = "create p50 " + Stats.format(Stats.of(create).p50()) + " ms"
                    + (connect.isEmpty()
                            ? ""
                            : ", connect+SELECT 1 p50 "
                                    + Stats.format(Stats.of(connect).p50()) + " ms")
                    + ", drop p50 " + Stats.format(Stats.of(drop).p50()) + " ms";
            if (!readable(createCpu) || !readable(connectCpu) || !readable(dropCpu) || backgroundCpuPerCycle < 0) {
                return wall;
            }
            return wall + "; server CPU per cycle (p50): create "
                    + Stats.format(Stats.of(createCpu).p50())
                    + (connectCpu.isEmpty()
                            ? ""
                            : ", connection "
                                    + Stats.format(Stats.of(connectCpu).p50()))
                    + ", drop " + Stats.format(Stats.of(dropCpu).p50()) + ", background processes "
                    + Stats.format(backgroundCpuPerCycle / 1e6) + " ms";
        }

        /** The server CPU per cycle in ms (p50 of each step plus the background processes), or NaN. */
        double serverCpuMillis() {
            if (!readable(createCpu) || !readable(connectCpu) || !readable(dropCpu) || backgroundCpuPerCycle < 0) {
                return Double.NaN;
            }
            return Stats.of(createCpu).p50()
                    + Stats.of(connectCpu).p50()
                    + Stats.of(dropCpu).p50()
                    + backgroundCpuPerCycle / 1e6;
        }

        private static boolean readable(List<Long> nanos) {
            return nanos.stream().allMatch(n -> n >= 0);
        }
    }

    record Result(double perSecond, String failure, Phases phases) {}
}
