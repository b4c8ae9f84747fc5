package org.isolatedpg.core.internal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The parsers of every kind of configuration value. */
public final class Parsers {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    public static final Parser<Duration> DURATION =
            Parser.of("a positive duration such as 500ms, 30s, 2m, 1h, 7d or PT30S", Parsers::duration);

    public static final Parser<Boolean> BOOLEAN = Parser.of("true or false", value -> switch (value) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException("not a boolean");
    });

    public static final Parser<String> JDBC_URL =
            Parser.of("a JDBC URL such as jdbc:postgresql://localhost:5432/postgres", value -> {
                if (!value.startsWith("jdbc:postgresql://")) {
                    throw new IllegalArgumentException("not a PostgreSQL JDBC URL");
                }
                return value;
            });

    public static final Parser<String> TEXT = Parser.of("text", value -> value);

    public static final Parser<Path> DIRECTORY = Parser.of("a directory path", value -> Path.of(value));

    public static final Parser<List<String>> LOCATIONS = Parser.of(
            "comma-separated Flyway locations such as classpath:db/migration or filesystem:src/main/resources/db",
            Parsers::locations);

    public static final Parser<Map<String, String>> PLACEHOLDERS =
            Parser.of("comma-separated name=value pairs such as schema=app,owner=app", Parsers::placeholders);

    private Parsers() {}

    public static Parser<Integer> wholeNumber(int min, int max) {
        return Parser.of("a whole number from " + min + " to " + max, value -> {
            int number;
            try {
                number = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            if (number < min || number > max) {
                throw new IllegalArgumentException(number + " is out of range");
            }
            return number;
        });
    }

    public static <E extends Enum<E>> Parser<E> enumeration(Class<E> type) {
        String accepted = Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(" or "));
        return Parser.of(accepted, value -> Enum.valueOf(type, value.toUpperCase(Locale.ROOT)));
    }

    static Duration duration(String value) {
        Duration duration;
        Matcher matcher = SHORT_DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            duration = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else {
            try {
                duration = Duration.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("not positive");
        }
        return duration;
    }

    static List<String> locations(String value) {
        List<String> locations = Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(location -> !location.isEmpty())
                .toList();
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("no location");
        }
        for (String location : locations) {
            if (!location.startsWith("classpath:") && !location.startsWith("filesystem:")) {
                throw new IllegalArgumentException("unsupported location " + location);
            }
        }
        return locations;
    }

    static Map<String, String> placeholders(String value) {
        Map<String, String> placeholders = new LinkedHashMap<>();
        for (String pair : value.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("not a name=value pair: " + pair);
            }
            placeholders.put(
                    pair.substring(0, equals).strip(),
                    pair.substring(equals + 1).strip());
        }
        return placeholders;
    }
}
