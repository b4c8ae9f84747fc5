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

    private final UnaryOperator<String> urls;
    private final String user;
    private final String password;

    /** {@code urls} gives the JDBC URL of a database on the server from its name. */
    RawClones(UnaryOperator<String> urls, String user, String password) {
        this.urls = urls;
        this.user = user;
        this.password = password;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** Create+drop cycles per second with {@code sessions} sessions at once; NaN with the reason when unsupported. */
    Result cyclesPerSecond(String template, String strategy, boolean cloneFiles, int cycles, int sessions)
            throws Exception {
        return measure(
                sessions,
                cycles,
                (session, phases) ->
                        loop(template, strategy, cloneFiles, cycles / sessions, "raw_" + session + "_", phases));
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
                        template, strategy, cycles / sessions, "rawc_" + session + "_", deferDrop, phases));
    }

    private interface Loop {
        void run(int session, Phases phases) throws SQLException;
    }

    private Result measure(int sessions, int cycles, Loop loop) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(sessions);
        Phases phases = new Phases();
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
            return new Result(cycles / sessions * sessions / seconds, "", phases);
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
            for (int i = 0; i < cycles; i++) {
                String name = prefix + i;
                long started = System.nanoTime();
                statement.execute("CREATE DATABASE " + name + " TEMPLATE " + template + " STRATEGY " + strategy);
                long created = System.nanoTime();
                statement.execute("DROP DATABASE " + name);
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
            for (int i = 0; i < cycles; i++) {
                String name = prefix + i;
                long started = System.nanoTime();
                statement.execute("CREATE DATABASE " + name + " TEMPLATE " + template + " STRATEGY " + strategy);
                long created = System.nanoTime();
                try (Connection test = DriverManager.getConnection(urls.apply(name), user, password);
                        Statement query = test.createStatement();
                        ResultSet one = query.executeQuery("SELECT 1")) {
                    one.next();
                }
                long connected = System.nanoTime();
                if (!deferDrop) {
                    statement.execute("DROP DATABASE " + name);
                    phases.drop.add(System.nanoTime() - connected);
                } else if (previous != null) {
                    statement.execute("DROP DATABASE " + previous);
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

    /** Nanoseconds each step of a cycle took, over all sessions. */
    static final class Phases {
        final List<Long> create = new CopyOnWriteArrayList<>();
        final List<Long> connect = new CopyOnWriteArrayList<>();
        final List<Long> drop = new CopyOnWriteArrayList<>();

        /** {@code create p50 12.3 ms, connect p50 4.56 ms, drop p50 7.89 ms}. */
        String summary() {
            return "create p50 " + Stats.format(Stats.of(create).p50()) + " ms"
                    + (connect.isEmpty()
                            ? ""
                            : ", connect+SELECT 1 p50 "
                                    + Stats.format(Stats.of(connect).p50()) + " ms")
                    + ", drop p50 " + Stats.format(Stats.of(drop).p50()) + " ms";
        }
    }

    record Result(double perSecond, String failure, Phases phases) {}
}
