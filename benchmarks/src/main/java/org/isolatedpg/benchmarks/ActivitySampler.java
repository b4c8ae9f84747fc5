package org.isolatedpg.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Where the server's time goes during a run: samples {@code pg_stat_activity} every few milliseconds on a thread of
 * its own and counts, for each busy backend, what it was doing (the statement's kind, in the maintenance database or
 * a clone) and what it waited for. An idle client or an idle background process is not counted.
 */
final class ActivitySampler implements AutoCloseable {

    private static final String QUERY = "SELECT backend_type, datname, state, wait_event_type, wait_event, query"
            + " FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            + " AND (backend_type = 'client backend' AND state IS DISTINCT FROM 'idle'"
            + " OR backend_type <> 'client backend' AND wait_event_type IS DISTINCT FROM 'Activity')";

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong samples = new AtomicLong();
    private final Connection connection;
    private final Statement statement;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread sampler = new Thread(task, "benchmark-activity-sampler");
        sampler.setDaemon(true);
        return sampler;
    });

    /** Starts sampling through a connection of its own to {@code url}. */
    ActivitySampler(String url, String user, String password, long intervalMillis) throws SQLException {
        this.connection = DriverManager.getConnection(url, user, password);
        this.statement = connection.createStatement();
        thread.scheduleWithFixedDelay(this::sample, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        try (ResultSet rows = statement.executeQuery(QUERY)) {
            while (rows.next()) {
                counts.computeIfAbsent(kind(rows), k -> new AtomicLong()).incrementAndGet();
            }
            samples.incrementAndGet();
        } catch (SQLException e) {
            counts.computeIfAbsent("sampler failed: " + e.getMessage(), k -> new AtomicLong());
        }
    }

    private static String kind(ResultSet row) throws SQLException {
        String wait = row.getString("wait_event_type") == null
                ? "on CPU"
                : row.getString("wait_event_type") + ":" + row.getString("wait_event");
        if (!"client backend".equals(row.getString("backend_type"))) {
            return row.getString("backend_type") + " / " + wait;
        }
        String state = row.getString("state");
        String where = "postgres".equals(row.getString("datname")) ? "maintenance db" : "clone";
        if (state == null || state.equals("starting")) {
            // PostgreSQL 18 shows a backend still authenticating and loading its caches as 'starting'.
            return "connection starting in " + where + " / " + wait;
        }
        String query = row.getString("query").strip().toUpperCase(Locale.ROOT);
        String what = query.startsWith("CREATE DATABASE")
                ? "CREATE DATABASE"
                : query.startsWith("DROP DATABASE")
                        ? "DROP DATABASE"
                        : query.isEmpty() ? "(no statement yet)" : query.split("\\s+", 2)[0];
        return what + " in " + where + (state.equals("active") ? "" : " (" + state + ")") + " / " + wait;
    }

    /**
     * The busiest kinds, each as the average number of backends doing it at once:
     * {@code {"CREATE DATABASE in maintenance db / on CPU": 0.62, …}}, highest first.
     */
    Map<String, Double> busiest(int limit) {
        long taken = Math.max(1, samples.get());
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, AtomicLong>comparingByValue((a, b) -> Long.compare(a.get(), b.get()))
                        .reversed())
                .limit(limit)
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        entry -> entry.getValue().get() / (double) taken,
                        (a, b) -> a,
                        LinkedHashMap::new));
    }

    long samples() {
        return samples.get();
    }

    @Override
    public void close() throws SQLException, InterruptedException {
        thread.shutdown();
        thread.awaitTermination(5, TimeUnit.SECONDS);
        connection.close();
    }
}
