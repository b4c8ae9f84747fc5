package org.isolatedpg.core.internal.server.embedded;

import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.Setting;
import org.isolatedpg.core.internal.config.Secrets;

/**
 * The PostgreSQL settings a user asked the embedded server to start with ({@code isolatedpg.embedded.settings}): how
 * they go onto the postmaster's command line, how they are recorded next to the running server, and how they differ
 * from those of a server started by another JVM. Values of secret-looking names are never printed.
 *
 * <p>{@code pg_ctl -o} pastes its argument into a shell command line ({@code /bin/sh -c "exec postgres …"}), so each
 * {@code -c name=value} is single-quoted for that shell; on Windows, where {@code cmd.exe} has other rules, values
 * beyond a plain character set are refused instead.
 */
record PostmasterSettings(Map<String, String> values) {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.,:/+@=-]*");
    private static final String PREFIX = "setting.";

    PostmasterSettings {
        values = Map.copyOf(values);
    }

    /** The settings of the configuration, checked to fit on this platform's command line. */
    static PostmasterSettings of(Setting<Map<String, String>> setting) {
        PostmasterSettings settings = new PostmasterSettings(setting.value());
        if (Commands.WINDOWS) {
            settings.values.forEach((name, value) -> {
                if (!PLAIN.matcher(value).matches()) {
                    throw new InvalidConfigurationException("Invalid value '"
                            + Secrets.printable(setting.key(), setting.value()) + "' for '" + setting.key() + "' (from "
                            + setting.source() + "): on Windows, the value of " + name
                            + " can only hold letters, digits"
                            + " and _ . , : / + @ = - (it goes through cmd.exe). Set it in the cluster's postgresql.conf"
                            + " instead.");
                }
            });
        }
        return settings;
    }

    /** {@code  -c 'name=value'} for each setting, sorted by name, for {@code pg_ctl -o}. */
    String commandLine() {
        StringBuilder options = new StringBuilder();
        new TreeMap<>(values).forEach((name, value) -> options.append(" -c ").append(shellQuoted(name + "=" + value)));
        return options.toString();
    }

    private static String shellQuoted(String text) {
        return PLAIN.matcher(text).matches() ? text : "'" + text.replace("'", "'\"'\"'") + "'";
    }

    /** Records the settings in the running server's properties. */
    void store(Properties properties) {
        values.forEach((name, value) -> properties.setProperty(PREFIX + name, value));
    }

    /** The settings recorded in a running server's properties (none for a server started before they were). */
    static PostmasterSettings load(Properties properties) {
        Map<String, String> recorded = new TreeMap<>();
        properties.stringPropertyNames().stream()
                .filter(key -> key.startsWith(PREFIX))
                .forEach(key -> recorded.put(key.substring(PREFIX.length()), properties.getProperty(key)));
        return new PostmasterSettings(recorded);
    }

    /** The settings that differ, for a warning: {@code max_connections (asked 20, runs with 300)}; empty if none. */
    String differencesFrom(PostmasterSettings running) {
        StringJoiner differences = new StringJoiner(", ");
        TreeSet<String> names = new TreeSet<>(values.keySet());
        names.addAll(running.values.keySet());
        for (String name : names) {
            String asked = values.get(name);
            String runs = running.values.get(name);
            if (!Objects.equals(asked, runs)) {
                differences.add(
                        name + " (asked " + printable(name, asked) + ", runs with " + printable(name, runs) + ")");
            }
        }
        return differences.toString();
    }

    /** {@code text} with the values of secret-looking settings masked, for a server log quoted in a message. */
    String masked(String text) {
        String masked = text;
        for (Map.Entry<String, String> setting : values.entrySet()) {
            if (Secrets.looksSecret(setting.getKey()) && !setting.getValue().isEmpty()) {
                masked = masked.replace(setting.getValue(), Secrets.MASK);
            }
        }
        return masked;
    }

    private static String printable(String name, String value) {
        if (value == null) {
            return "nothing";
        }
        return Secrets.looksSecret(name) ? Secrets.MASK : value;
    }
}
