package org.isolatedpg.server.internal.http;

import java.time.Duration;
import org.isolatedpg.server.internal.engine.ApiException;
import org.isolatedpg.server.internal.engine.Durations;

/** The {@code lease} query parameter: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
final class Leases {

    private static final Duration LONGEST = Duration.ofDays(1);

    private Leases() {}

    /** The lease asked for, or null when none was. */
    static Duration parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Duration lease = Durations.parse(value);
        if (lease == null || lease.isZero() || lease.isNegative() || lease.compareTo(LONGEST) > 0) {
            throw new ApiException(
                    ApiException.Kind.BAD_REQUEST,
                    "The query parameter 'lease' = '" + value + "' is not a lease: give a duration from 1ms to 24h,"
                            + " such as lease=30s, lease=500ms, lease=5m or lease=PT30S.");
        }
        return lease;
    }
}
