package org.isolatedpg.core;

import java.time.Duration;

/**
 * What a pool did, for the end-of-run report.
 *
 * @param fingerprint the template's fingerprint, shortened to 12 hex digits
 * @param templateReused whether the template existed already (no migration ran)
 * @param templateMillis how long building or finding the template took
 * @param migrationsExecuted steps run to build the template: migrations, changesets, script files, the initializer
 * @param clonesCreated clones made from the template
 * @param leases clones handed out
 * @param waits leases that found no ready clone and had to wait
 * @param waited the time leases spent waiting for a clone, in all
 * @param leakedConnections connections tests left open, over all leases
 * @param acquireP50 median time a lease took
 * @param acquireP95 95th percentile of the time a lease took
 * @param acquireMax longest time a lease took
 * @param clonesReplaced ready clones found gone or unusable when a test asked (dropped by someone, a server
 *     restart), replaced before anything was handed out
 * @param templateRebuilds times the template was found gone (or invalid) while the pool ran, and built again
 * @param templateBuiltFrom the fingerprint (12 hex digits) of the older template this one was built on
 *     incrementally; empty when it was reused or built from nothing
 * @param clonesReused clones their tests left untouched, which went to the next test as they were instead of being
 *     dropped and made again
 * @param untouchedCheck the time telling whether a test changed its clone took, on average (in the background)
 * @param clonesChecked clones checked after their test; once 16 checks in a row found the clone changed, only one
 *     returned clone in 8 is, and the others are dropped at once, until a test leaves its clone untouched again
 * @since 0.1
 */
public record PoolStatistics(
        String fingerprint,
        boolean templateReused,
        long templateMillis,
        int migrationsExecuted,
        long clonesCreated,
        long leases,
        long waits,
        Duration waited,
        long leakedConnections,
        Duration acquireP50,
        Duration acquireP95,
        Duration acquireMax,
        long clonesReplaced,
        long templateRebuilds,
        String templateBuiltFrom,
        long clonesReused,
        Duration untouchedCheck,
        long clonesChecked) {

    /** One line: {@code template 3f2a1c9e0b1d built in 412 ms (5 steps); 24 clones, 20 leases, …}. */
    public String summary() {
        return "template " + fingerprint
                + (templateReused
                        ? " reused (" + templateMillis + " ms)"
                        : templateBuiltFrom.isEmpty()
                                ? " built in " + templateMillis + " ms (" + migrationsExecuted + " steps)"
                                : " built incrementally from " + templateBuiltFrom + " (+" + migrationsExecuted
                                        + " migrations, " + templateMillis + " ms)")
                + "; " + clonesCreated + " clones made, " + leases + " leases, " + clonesReused
                + " clones reused untouched (checked in " + millis(untouchedCheck) + " on average), " + waits
                + " waits ("
                + waited.toMillis()
                + " ms in all), " + leakedConnections + " leaked connections; acquire p50 " + millis(acquireP50)
                + ", p95 "
                + millis(acquireP95) + ", max " + millis(acquireMax)
                + (clonesReplaced > 0 ? "; " + clonesReplaced + " gone clones replaced" : "")
                + (templateRebuilds > 0 ? "; template rebuilt " + templateRebuilds + " times after it was gone" : "");
    }

    private static String millis(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.2f ms", duration.toNanos() / 1_000_000.0);
    }
}
