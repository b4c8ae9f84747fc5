package org.isolatedpg.benchmarks;

import java.util.List;
import java.util.Map;

/**
 * A template's ceilings: the best rates of bare loops, over clone strategies, of clone+drop and of
 * clone+connection+drop, with one session and with two (the machine has two cores); and from the one-session
 * clone+connection+drop loop of the first strategy (the pool's default), the median wall and server CPU time of a
 * first connection (open it, one trivial query) to a fresh clone and the server's CPU time per cycle.
 */
record Ceilings(
        double raw1,
        double raw2,
        double connected1,
        double connected2,
        double firstConnectionMillis,
        double firstConnectionCpuMillis,
        double cpuPerCycleMillis) {

    double connectedBest() {
        return Math.max(connected1, connected2);
    }

    /**
     * Measures the four loops for each strategy, prints one row per loop into {@code report} as
     * {@code raw clone+drop, <label>, <strategy>, N session(s)} and returns the best of each.
     */
    static Ceilings measure(
            RawClones raw, String template, List<String> strategies, int cycles, String label, Report report)
            throws Exception {
        double[] best = new double[4];
        RawClones.Phases first = null;
        for (String strategy : strategies) {
            for (int sessions : List.of(1, 2)) {
                RawClones.Result bare = raw.cyclesPerSecond(template, strategy, false, cycles, sessions);
                String suffix = ", " + label + ", " + strategy + ", " + sessions + " session(s)";
                row(report, "raw clone+drop" + suffix, bare);
                RawClones.Result connected = raw.connectedCyclesPerSecond(template, strategy, cycles, sessions, true);
                row(report, "raw clone+connection+drop" + suffix, connected);
                int slot = sessions - 1;
                best[slot] = Math.max(best[slot], orZero(bare.perSecond()));
                best[2 + slot] = Math.max(best[2 + slot], orZero(connected.perSecond()));
                if (first == null && !Double.isNaN(connected.perSecond())) {
                    first = connected.phases();
                }
            }
        }
        return new Ceilings(
                best[0],
                best[1],
                best[2],
                best[3],
                first == null ? Double.NaN : Stats.of(first.connect).p50(),
                first == null || Double.isNaN(first.serverCpuMillis())
                        ? Double.NaN
                        : Stats.of(first.connectCpu).p50(),
                first == null ? Double.NaN : first.serverCpuMillis());
    }

    private static void row(Report report, String name, RawClones.Result result) {
        String value = Double.isNaN(result.perSecond())
                ? "n/a (" + result.failure() + ")"
                : Stats.format(result.perSecond()) + " cycles/s";
        report.line("| " + name + " | " + value + " | " + result.phases().summary() + " |");
        report.put(
                name,
                Double.isNaN(result.perSecond())
                        ? result.failure()
                        : result.phases().connect.isEmpty()
                                ? result.perSecond() // as before these loops had phases
                                : Map.of(
                                        "cyclesPerSecond", result.perSecond(),
                                        "createP50Ms",
                                                Stats.of(result.phases().create).p50(),
                                        "connectP50Ms",
                                                Stats.of(result.phases().connect)
                                                        .p50(),
                                        "dropP50Ms",
                                                Stats.of(result.phases().drop).p50(),
                                        "serverCpuPerCycleMs", result.phases().serverCpuMillis()));
    }

    private static double orZero(double rate) {
        return Double.isNaN(rate) ? 0 : rate;
    }

    /** {@code 0.53× clone+drop (2 sessions, 99/s); 0.60× clone+connection+drop (best, 88/s)}. */
    String ratios(double testsPerSecond) {
        return Stats.format(testsPerSecond / Math.max(raw1, raw2)) + "× best clone+drop ("
                + Stats.format(Math.max(raw1, raw2)) + "/s); "
                + Stats.format(testsPerSecond / connected1) + "× clone+connection+drop, 1 session ("
                + Stats.format(connected1) + "/s); "
                + Stats.format(testsPerSecond / connected2) + "× clone+connection+drop, 2 sessions ("
                + Stats.format(connected2) + "/s)";
    }

    /**
     * A row for a JUnit run's CPU use ({@link ServerCpu.Meter}), per test, set against the server CPU of one bare
     * clone+connection+drop cycle.
     */
    void cpuRow(Report report, String name, ServerCpu.Meter.Use cpu, long tests, Map<String, Object> json) {
        double server = cpu.serverMillis() / tests;
        double jvm = cpu.jvmMillis() / tests;
        report.line("| " + name + ": CPU per test: server (all its processes) / this JVM | "
                + (Double.isNaN(server) ? "n/a" : Stats.format(server)) + " / " + Stats.format(jvm) + " ms | "
                + (Double.isNaN(server) || Double.isNaN(cpuPerCycleMillis)
                        ? ""
                        : "server: " + Stats.format(server / cpuPerCycleMillis)
                                + "× the server CPU of one bare clone+connection+drop cycle ("
                                + Stats.format(cpuPerCycleMillis) + " ms, of which the connection "
                                + Stats.format(firstConnectionCpuMillis) + ")")
                + " |");
        json.put("serverCpuPerTestMs", server);
        json.put("jvmCpuPerTestMs", jvm);
    }

    Map<String, Object> json() {
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("cloneDrop1PerSecond", raw1);
        json.put("cloneDrop2PerSecond", raw2);
        json.put("cloneConnectionDrop1PerSecond", connected1);
        json.put("cloneConnectionDrop2PerSecond", connected2);
        json.put("firstConnectionP50Ms", firstConnectionMillis);
        json.put("firstConnectionServerCpuP50Ms", firstConnectionCpuMillis);
        json.put("serverCpuPerConnectedCycleMs", cpuPerCycleMillis);
        return json;
    }
}
