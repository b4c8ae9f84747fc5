package org.isolatedpg.core.internal.config;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.isolatedpg.core.ConfigKeys;

/**
 * What may be printed of a configuration value. Every message, log line and {@code toString()} that shows a value goes
 * through {@link #printable(String, Object)}: a key whose name says it holds a secret shows as {@value #MASK}, a JDBC
 * URL (a JDBC URL, a repository's) with its password masked, Flyway placeholders by name only (any of them may hold a secret), server settings with
 * the values of secret-looking names masked.
 */
public final class Secrets {

    public static final String MASK = "<masked>";

    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(password|passwd|pwd|passphrase|secret|token|credential).*");

    private static final Pattern LONE_USER_INFO = Pattern.compile("//[^/?@:]+@");

    private Secrets() {}

    /** Whether a key, parameter or setting of this name holds a secret, so that its value is never printed. */
    public static boolean looksSecret(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    /** The value of {@code key} as messages may show it. */
    public static String printable(String key, Object value) {
        if (looksSecret(key)) {
            return MASK;
        }
        return switch (key) {
            case ConfigKeys.SERVER_URL -> JdbcUrl.redact(String.valueOf(value));
            case ConfigKeys.EMBEDDED_BINARIES_REPOSITORY ->
                // a user name alone before @ may be a token
                LONE_USER_INFO.matcher(JdbcUrl.redact(String.valueOf(value))).replaceFirst("//" + MASK + "@");
            case ConfigKeys.FLYWAY_PLACEHOLDERS, ConfigKeys.LIQUIBASE_PARAMETERS ->
                value instanceof Map<?, ?> map ? names(map) : maskPairs(String.valueOf(value), name -> true);
            case ConfigKeys.EMBEDDED_SETTINGS ->
                value instanceof Map<?, ?> map ? masked(map) : maskPairs(String.valueOf(value), Secrets::looksSecret);
            default -> String.valueOf(value);
        };
    }

    /** The names of a map's entries, sorted: {@code [owner, schema]}. */
    public static String names(Map<?, ?> map) {
        return new TreeMap<>(map).keySet().toString();
    }

    /** A map with the values of secret-looking names masked: {@code {log_statement=all}}. */
    public static String masked(Map<?, ?> map) {
        return map.entrySet().stream()
                .map(entry -> entry.getKey() + "="
                        + (looksSecret(String.valueOf(entry.getKey())) ? MASK : String.valueOf(entry.getValue())))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** Comma-separated {@code name=value} text with the values of the names {@code secret} accepts masked. */
    private static String maskPairs(String text, Predicate<String> secret) {
        StringBuilder printable = new StringBuilder();
        for (String pair : text.split(",", -1)) {
            int equals = pair.indexOf('=');
            boolean masked =
                    equals >= 0 && secret.test(pair.substring(0, equals).strip());
            printable
                    .append(printable.length() == 0 ? "" : ",")
                    .append(masked ? pair.substring(0, equals + 1) + MASK : pair);
        }
        return printable.toString();
    }
}
