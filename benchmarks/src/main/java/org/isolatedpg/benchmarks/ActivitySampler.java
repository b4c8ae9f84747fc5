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
 * a clone) and what it waited for; an idle client or an idle background process is not counted. It also reads each
 * process's CPU time ({@link ServerCpu}) at every sample, to tell how much CPU each kind of process used: a process
 * seen first after the first sample counts from its birth, one seen in the first sample from then.
 */
final class ActivitySampler implements AutoCloseable {

    private static final String QUERY = "SELECT pid, backend_type, datname, state, wait_event_type, wait_event, query"
            + " FROM pg_stat_activity WHERE pid <> pg_backend_pid()";

    /** A process's CPU time when first seen (0 if born after the first sample) and when last seen, and its kind. */
    private static final class Process {
        final long first;
        volatile long last;
        volatile String kind;

        Process(long first, String kind) {
            this.first = first;
            this.last = first;
            this.kind = kind;
        }
    }

    private final Map<Long, Process> processes = new ConcurrentHashMap<>();
    /** The backends seen in each clone, by the clone's name. */
    private final Map<String, java.util.Set<Long>> clones = new ConcurrentHashMap<>();

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
        boolean firstSample = samples.get() == 0;
        try (ResultSet rows = statement.executeQuery(QUERY)) {
            while (rows.next()) {
                track(rows, firstSample);
                if (busy(rows)) {
                    counts.computeIfAbsent(kind(rows), k -> new AtomicLong()).incrementAndGet();
                }
            }
            samples.incrementAndGet();
        } catch (SQLException e) {
            counts.computeIfAbsent("sampler failed: " + e.getMessage(), k -> new AtomicLong());
        }
    }

    private void track(ResultSet row, boolean firstSample) throws SQLException {
        long cpu = ServerCpu.nanos(row.getLong("pid"));
        String kind = !"client backend".equals(row.getString("backend_type"))
                ? row.getString("backend_type")
                : "postgres".equals(row.getString("datname"))
                        ? "sessions on the maintenance db (CREATE/DROP DATABASE, …)"
                        : "connections to clones";
        Process process =
                processes.computeIfAbsent(row.getLong("pid"), pid -> new Process(firstSample ? cpu : 0, kind));
        String database = row.getString("datname");
        if (kind.equals("connections to clones") && database != null) {
            clones.computeIfAbsent(database, name -> ConcurrentHashMap.newKeySet())
                    .add(row.getLong("pid"));
        }
        process.last = Math.max(process.last, cpu);
        process.kind = kind;
    }

    private static boolean busy(ResultSet row) throws SQLException {
        return "client backend".equals(row.getString("backend_type"))
                ? !"idle".equals(row.getString("state"))
                : !"Activity".equals(row.getString("wait_event_type"));
    }

    /**
     * CPU ms by kind of process over the sampling, highest first; empty where CPU times cannot be read. What a process
     * used after its last sample (a connection's last statements and exit) is not in it.
     */
    Map<String, Double> cpuByKind() {
        if (processes.values().stream().anyMatch(process -> process.last < 0)) {
            return Map.of();
        }
        Map<String, Double> millis = new java.util.HashMap<>();
        processes
                .values()
                .forEach(process -> millis.merge(process.kind, (process.last - process.first) / 1e6, Double::sum));
        return millis.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /**
     * {@code {clones seen, backends per clone}}: how many connections the clones seen had (each backend seen in a
     * clone at least once; one that lived between two samples is missed).
     */
    double[] backendsPerClone() {
        return new double[] {
            clones.size(),
            clones.values().stream().mapToInt(java.util.Set::size).average().orElse(Double.NaN)
        };
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
