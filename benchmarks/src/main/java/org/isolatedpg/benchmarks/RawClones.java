package org.isolatedpg.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The ceiling: CREATE DATABASE … TEMPLATE and DROP DATABASE in a loop, nothing else. */
final class RawClones {

    private final String url;
    private final String user;
    private final String password;

    RawClones(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Create+drop cycles per second with {@code sessions} sessions at once; NaN with the reason when unsupported. */
    Result cyclesPerSecond(String template, String strategy, boolean cloneFiles, int cycles, int sessions)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(sessions);
        try {
            List<Future<Void>> done = new ArrayList<>();
            long started = System.nanoTime();
            for (int s = 0; s < sessions; s++) {
                int session = s;
                done.add(threads.submit(() -> {
                    loop(template, strategy, cloneFiles, cycles / sessions, "raw_" + session + "_");
                    return null;
                }));
            }
            for (Future<Void> future : done) {
                future.get(10, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Result(cycles / seconds, "");
        } catch (java.util.concurrent.ExecutionException e) {
            return new Result(
                    Double.NaN, e.getCause().getMessage().lines().findFirst().orElse(""));
        } finally {
            threads.shutdownNow();
        }
    }

    private void loop(String template, String strategy, boolean cloneFiles, int cycles, String prefix)
            throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            if (cloneFiles) {
                statement.execute("SET file_copy_method = clone");
            }
            for (int i = 0; i < cycles; i++) {
                String name = prefix + i;
                statement.execute("CREATE DATABASE " + name + " TEMPLATE " + template + " STRATEGY " + strategy);
                statement.execute("DROP DATABASE " + name);
            }
        }
    }

    record Result(double perSecond, String failure) {}
}
