package org.isolatedpg.server.internal.http;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.isolatedpg.server.internal.engine.ApiException;

/** The {@code lease} query parameter: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
final class Leases {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Duration LONGEST = Duration.ofDays(1);

    private Leases() {}

    /** The lease asked for, or null when none was. */
    static Duration parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Duration lease = duration(value);
        if (lease == null || lease.isZero() || lease.isNegative() || lease.compareTo(LONGEST) > 0) {
            throw new ApiException(
                    ApiException.Kind.BAD_REQUEST,
                    "The query parameter 'lease' = '" + value + "' is not a lease: give a duration from 1ms to 24h,"
                            + " such as lease=30s, lease=500ms, lease=5m or lease=PT30S.");
        }
        return lease;
    }

    private static Duration duration(String value) {
        Matcher matcher = SHORT.matcher(value);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
