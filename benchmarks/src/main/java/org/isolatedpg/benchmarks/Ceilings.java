package org.isolatedpg.benchmarks;

import java.util.List;
import java.util.Map;

/**
 * A template's ceilings: the best rates of bare loops, over clone strategies, of clone+drop and of
 * clone+connection+drop, with one session and with two (the machine has two cores), and the median time of a first
 * connection (open it, {@code SELECT 1}) to a fresh clone.
 */
record Ceilings(double raw1, double raw2, double connected1, double connected2, double firstConnectionMillis) {

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
        double firstConnection = Double.NaN;
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
                if (sessions == 1 && !connected.phases().connect.isEmpty()) {
                    double millis = Stats.of(connected.phases().connect).p50();
                    firstConnection = Double.isNaN(firstConnection) ? millis : Math.min(firstConnection, millis);
                }
            }
        }
        return new Ceilings(best[0], best[1], best[2], best[3], firstConnection);
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
                                                Stats.of(result.phases().drop).p50()));
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

    Map<String, Object> json() {
        return Map.of(
                "cloneDrop1PerSecond", raw1,
                "cloneDrop2PerSecond", raw2,
                "cloneConnectionDrop1PerSecond", connected1,
                "cloneConnectionDrop2PerSecond", connected2,
                "firstConnectionP50Ms", firstConnectionMillis);
    }
}
