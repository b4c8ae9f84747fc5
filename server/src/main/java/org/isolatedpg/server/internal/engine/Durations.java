package org.isolatedpg.server.internal.engine;

import java.time.Duration;
import org.isolatedpg.core.internal.config.Parsers;

/**
 * Durations as the library's settings read them ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d},
 * {@code PT30S}), for the HTTP API's leases and the command line's ages: pool-core's own parser.
 */
public final class Durations {

    private Durations() {}

    /** The positive duration {@code value} names, or null when it names none. */
    public static Duration parse(String value) {
        try {
            return Parsers.DURATION.parse(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
