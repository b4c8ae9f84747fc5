package org.isolatedpg.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Percentiles of nanosecond samples, printed in milliseconds. */
record Stats(double p50, double p95, double max, int count) {

    static Stats of(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return new Stats(0, 0, 0, 0);
        }
        return new Stats(ms(rank(sorted, 50)), ms(rank(sorted, 95)), ms(sorted[sorted.length - 1]), sorted.length);
    }

    private static long rank(long[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    /**
     * Three significant digits or so; "n/a" for NaN, a reading that could not be taken (a backend's CPU when it exited
     * before {@code /proc} was read).
     */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }
}
