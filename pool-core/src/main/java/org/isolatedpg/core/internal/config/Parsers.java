package org.isolatedpg.core.internal.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
                JdbcUrl.parameter(value, "user");
                JdbcUrl.parameter(value, "password");
                return value;
            });

    public static final Parser<String> TEXT = Parser.of("text", value -> value);

    /** A Maven repository's URL, without a trailing slash, or {@code none}. */
    public static final Parser<String> REPOSITORY_URL = Parser.of(
            "an http(s) URL of a Maven repository such as https://repo.maven.apache.org/maven2, or none", value -> {
                if (value.equals("none")) {
                    return value;
                }
                URI uri;
                try {
                    uri = new URI(value);
                } catch (URISyntaxException e) {
                    // not attached: its message quotes the value, which may hold a password
                    throw new IllegalArgumentException("not a URL");
                }
                if (uri.getScheme() == null
                        || !uri.getScheme().matches("(?i)https?")
                        || uri.getHost() == null
                        || uri.getRawQuery() != null
                        || uri.getRawFragment() != null) {
                    throw new IllegalArgumentException("not an http(s) URL with a host and no query");
                }
                return value.replaceAll("/+$", "");
            });

    public static final Parser<Path> DIRECTORY = Parser.of("a directory path", value -> Path.of(value));

    public static final Parser<List<String>> LOCATIONS = Parser.of(
            "comma-separated locations such as classpath:db/migration, db/migration (classpath: by default) or"
                    + " filesystem:src/main/resources/db",
            Parsers::locations);

    /** A prefix other than ours: Flyway's {@code s3:} or {@code gcs:}, or a typo. Two letters at least, so C:\ is a path. */
    private static final Pattern UNSUPPORTED_PREFIX =
            Pattern.compile("(?!classpath:|filesystem:)[A-Za-z][A-Za-z0-9+.-]+:");

    public static final Parser<String> CLASS_NAME =
            Parser.of("a fully qualified class name such as com.example.SchemaInitializer", value -> {
                if (!value.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
                    throw new IllegalArgumentException("not a class name");
                }
                return value;
            });

    public static final Parser<Map<String, String>> PLACEHOLDERS =
            Parser.of("comma-separated name=value pairs such as schema=app,owner=app", Parsers::placeholders);

    /** PostgreSQL's own form of a setting name; custom ones ({@code auto_explain.log_min_duration}) have a dot. */
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z_][a-z0-9_.]*");

    /** The embedded server's settings that isolated-postgres sets itself, on the command line. */
    private static final Set<String> OWN_SETTINGS = Set.of("port", "cluster_name");

    public static final Parser<Map<String, String>> SERVER_SETTINGS = Parser.of(
            "comma-separated name=value pairs of PostgreSQL settings such as max_connections=20,log_statement=all,"
                    + " each name matching [a-z_][a-z0-9_.]* (not port or cluster_name, which isolated-postgres sets)"
                    + " and no value holding a control character",
            Parsers::serverSettings);

    /** How many databases of failed tests to keep: {@code 0} turns keeping off. */
    public static final Parser<Integer> KEPT_DATABASES = Parser.of(
            "a whole number from 0 to 100 (0 keeps none)",
            value -> wholeNumber(0, 100).parse(value));

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
            if (UNSUPPORTED_PREFIX.matcher(location).lookingAt()) {
                throw new IllegalArgumentException("unsupported location " + location);
            }
        }
        return locations;
    }

    /** Never quotes a value in its failures: placeholders may hold secrets. */
    static Map<String, String> placeholders(String value) {
        Map<String, String> placeholders = new LinkedHashMap<>();
        String[] pairs = value.split(",");
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i];
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("pair " + (i + 1) + " is not of the form name=value");
            }
            placeholders.put(
                    pair.substring(0, equals).strip(),
                    pair.substring(equals + 1).strip());
        }
        return placeholders;
    }

    static Map<String, String> serverSettings(String value) {
        Map<String, String> settings = placeholders(value);
        settings.forEach((name, setting) -> {
            if (!SETTING_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a setting name");
            }
            if (OWN_SETTINGS.contains(name)) {
                throw new IllegalArgumentException(name + " is set by isolated-postgres");
            }
            if (setting.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("the value of " + name + " holds a control character");
            }
        });
        return Collections.unmodifiableMap(settings);
    }
}
