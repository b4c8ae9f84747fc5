package org.isolatedpg.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of PostgreSQL processes on this machine, from Linux's {@code /proc/<pid>/schedstat} (nanoseconds on a CPU).
 * Unlike wall time it barely moves when other work shares the machine, so it says what a step costs the server. It is
 * only there for a server on this machine (the embedded one); elsewhere every reading is -1 and the rows leave it out.
 */
final class ServerCpu {

    private ServerCpu() {}

    /** The process's CPU time in nanoseconds, or -1 when it cannot be read. */
    static long nanos(long pid) {
        try {
            return Long.parseLong(
                    Files.readString(Path.of("/proc/" + pid + "/schedstat")).split(" ", 2)[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The CPU time of the connection's backend in nanoseconds, or -1. */
    static long backend(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return nanos(row.getLong(1));
        }
    }

    /** The server's processes other than client backends: checkpointer, WAL writer, I/O workers, … */
    static List<Long> backgroundPids(Connection connection) throws SQLException {
        List<Long> pids = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT pid FROM pg_stat_activity WHERE backend_type <> 'client backend'")) {
            while (rows.next()) {
                pids.add(rows.getLong(1));
            }
        }
        return pids;
    }

    /** The summed CPU time of the processes, or -1 if any cannot be read. */
    static long total(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            long nanos = nanos(pid);
            if (nanos < 0) {
                return -1;
            }
            sum += nanos;
        }
        return sum;
    }

    /**
     * The CPU time the whole server and this JVM used between {@link #start} and {@link #stop}: the server's as the
     * processes alive at either end (read one by one) plus those the postmaster reaped meanwhile (its children's
     * times), so that the tests' short-lived backends count too. The server is this machine's, and other JVMs using
     * it meanwhile count as well.
     */
    static final class Meter {
        /** Linux's USER_HZ, the unit of the times in {@code /proc/<pid>/stat}. */
        private static final double MILLIS_PER_TICK = 10;

        private final String url;
        private final String user;
        private final String password;
        private final Map<Long, Long> processes;
        private final long postmaster;
        private final double postmasterMillis;
        private final long jvmNanos;

        private Meter(String url, String user, String password) throws SQLException {
            this.url = url;
            this.user = user;
            this.password = password;
            this.jvmNanos = jvmNanos();
            try (Connection connection = java.sql.DriverManager.getConnection(url, user, password)) {
                this.processes = processes(connection);
                this.postmaster = parentOf(connection);
            }
            this.postmasterMillis = postmasterMillis(postmaster);
        }

        static Meter start(String url, String user, String password) throws SQLException {
            return new Meter(url, user, password);
        }

        /** The CPU time since the start, in ms: the server's (NaN where it cannot be read), and this JVM's. */
        record Use(double serverMillis, double jvmMillis) {}

        Use stop() throws SQLException {
            double jvm = (jvmNanos() - jvmNanos) / 1e6;
            Map<Long, Long> now;
            try (Connection connection = java.sql.DriverManager.getConnection(url, user, password)) {
                now = processes(connection);
                // This connection's own start-up is no part of what was measured.
                try (Statement statement = connection.createStatement();
                        ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
                    row.next();
                    now.remove(row.getLong(1));
                }
            }
            double reaped = postmasterMillis(postmaster) - postmasterMillis;
            if (postmasterMillis < 0 || reaped < 0 || processes.containsValue(-1L) || now.containsValue(-1L)) {
                return new Use(Double.NaN, jvm);
            }
            long alive = now.values().stream().mapToLong(Long::longValue).sum()
                    - processes.values().stream().mapToLong(Long::longValue).sum();
            return new Use(reaped + alive / 1e6, jvm);
        }

        private static Map<Long, Long> processes(Connection connection) throws SQLException {
            Map<Long, Long> cpu = new HashMap<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT pid FROM pg_stat_activity")) {
                while (rows.next()) {
                    cpu.put(rows.getLong(1), nanos(rows.getLong(1)));
                }
            }
            return cpu;
        }

        private static long parentOf(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
                row.next();
                String[] fields = stat(row.getLong(1));
                return fields == null ? -1 : Long.parseLong(fields[1]);
            }
        }

        /** The postmaster's own CPU time and that of the children it reaped, in ms, or -1. */
        private static double postmasterMillis(long pid) {
            String[] fields = pid < 0 ? null : stat(pid);
            if (fields == null) {
                return -1;
            }
            long ticks = 0;
            for (int field = 11; field <= 14; field++) { // utime, stime, cutime, cstime
                ticks += Long.parseLong(fields[field]);
            }
            return ticks * MILLIS_PER_TICK;
        }

        /** The fields of {@code /proc/<pid>/stat} after the command name, from the state on; null if unreadable. */
        private static String[] stat(long pid) {
            try {
                String text = Files.readString(Path.of("/proc/" + pid + "/stat"));
                return text.substring(text.lastIndexOf(')') + 2).split(" ");
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        private static long jvmNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }
}
