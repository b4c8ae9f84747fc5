package org.isolatedpg.core.internal.pool;

import java.time.Duration;
import java.util.Arrays;

/** Records lease latencies for the report's percentiles. */
final class LatencyRecorder {

    private long[] nanos = new long[256];
    private int count;

    synchronized void record(long elapsedNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = elapsedNanos;
    }

    /** The given percentile (0 to 100, nearest rank) of what was recorded, or zero when nothing was. */
    synchronized Duration percentile(double percentile) {
        if (count == 0) {
            return Duration.ZERO;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * count);
        return Duration.ofNanos(sorted[Math.max(0, Math.min(count - 1, rank - 1))]);
    }
}
