package org.isolatedpg.server.internal.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.ServerSettings;
import org.isolatedpg.core.Setting;
import org.isolatedpg.server.internal.engine.EngineSettings;

/**
 * The server's settings: IntegreSQL's environment variables where it has one ({@code INTEGRESQL_PORT},
 * {@code INTEGRESQL_ADDRESS}, {@code INTEGRESQL_PG*} or {@code PG*} for an external server, pool sizes and timeouts),
 * the library's {@code isolatedpg.*} keys for the rest, with the library's precedence (system properties, then the
 * environment) and its errors (the key, the value, where it came from, the fix).
 *
 * @param address where to listen
 * @param token the bearer token clients must send, or null
 */
public record ServeSettings(InetSocketAddress address, String token, ServerSettings server, EngineSettings engine) {

    public static final String TOKEN = "isolatedpg.http.token";

    /** How long a client may take from initializing a template to finalizing it, before the build is abandoned. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);

    /** The settings in {@code systemProperties} and {@code environment}. */
    public static ServeSettings from(Properties systemProperties, Map<String, String> environment) {
        Configuration config = configuration(systemProperties, environment);
        PoolSettings pool = config.poolSettings();
        int cpus = Runtime.getRuntime().availableProcessors();
        int maxPoolSize = wholeNumber(config, "INTEGRESQL_TEST_MAX_POOL_SIZE", 4 * cpus, 1, 10_000);
        if (maxPoolSize <= pool.size().value()) {
            throw new InvalidConfigurationException("'INTEGRESQL_TEST_MAX_POOL_SIZE' = " + maxPoolSize
                    + " is not more than the test databases kept ready, "
                    + pool.size().key() + " = "
                    + pool.size().value() + " (from " + pool.size().source() + "): raise the first or lower the"
                    + " second.");
        }
        String address = config.raw("INTEGRESQL_ADDRESS").map(Setting::value).orElse("127.0.0.1");
        int port = wholeNumber(config, "INTEGRESQL_PORT", 5000, 0, 65_535);
        String token = config.raw(TOKEN).map(Setting::value).orElse(null);
        InetSocketAddress socket = socket(config, address, port);
        if (token == null && !socket.getAddress().isLoopbackAddress()) {
            throw new InvalidConfigurationException("'INTEGRESQL_ADDRESS' = '" + address + "' (from "
                    + source(config, "INTEGRESQL_ADDRESS") + ") listens beyond this machine, where anyone could take"
                    + " databases: set '" + TOKEN + "' (environment variable ISOLATEDPG_HTTP_TOKEN) to a secret that"
                    + " clients send as 'Authorization: Bearer <token>', or listen on 127.0.0.1.");
        }
        return new ServeSettings(
                socket,
                token,
                config.serverSettings(),
                new EngineSettings(
                        pool,
                        maxPoolSize,
                        milliseconds(config, "INTEGRESQL_TEMPLATE_FINALIZE_TIMEOUT_MS", 60_000),
                        milliseconds(config, "INTEGRESQL_TEST_DB_MINIMAL_LIFETIME_MS", 250),
                        BUILD_TIMEOUT));
    }

    /**
     * System properties, then IntegreSQL's names for the library's keys, then the environment (where the library's
     * keys are {@code ISOLATEDPG_*}, and libpq's {@code PG*} name an external server).
     */
    public static Configuration configuration(Properties systemProperties, Map<String, String> environment) {
        Map<String, String> aliases = Map.of(
                "PGHOST", "INTEGRESQL_PGHOST",
                "PGPORT", "INTEGRESQL_PGPORT",
                "PGUSER", "INTEGRESQL_PGUSER",
                "PGPASSWORD", "INTEGRESQL_PGPASSWORD",
                "PGDATABASE", "INTEGRESQL_PGDATABASE",
                "isolatedpg.pool.size", "INTEGRESQL_TEST_INITIAL_POOL_SIZE",
                "isolatedpg.pool.acquire-timeout", "INTEGRESQL_TEST_DB_GET_TIMEOUT_MS");
        ConfigSource integresql = new ConfigSource() {
            @Override
            public Optional<String> get(String key) {
                if (key.equals("isolatedpg.server.mode")) {
                    // IntegreSQL has no embedded server: a PostgreSQL host given its way means that server
                    return Optional.ofNullable(environment.get("INTEGRESQL_PGHOST"))
                            .or(() -> Optional.ofNullable(environment.get("PGHOST")))
                            .filter(host -> !host.isBlank())
                            .map(host -> "external");
                }
                String name = aliases.get(key);
                Optional<String> value = Optional.ofNullable(name == null ? null : environment.get(name))
                        .filter(v -> !v.isBlank());
                return key.equals("isolatedpg.pool.acquire-timeout") ? value.map(ServeSettings::asMillis) : value;
            }

            @Override
            public String describe(String key) {
                return key.equals("isolatedpg.server.mode")
                        ? "environment variable INTEGRESQL_PGHOST or PGHOST (an external server)"
                        : "environment variable " + aliases.get(key);
            }
        };
        return Configuration.from(List.of(
                ConfigSource.of("system property", key -> Optional.ofNullable(systemProperties.getProperty(key))),
                integresql,
                ConfigSource.environment(environment)));
    }

    private static String asMillis(String value) {
        return value.chars().allMatch(Character::isDigit) ? value + "ms" : value;
    }

    private static InetSocketAddress socket(Configuration config, String address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (UnknownHostException e) {
            throw new InvalidConfigurationException(
                    "'INTEGRESQL_ADDRESS' = '" + address + "' (from " + source(config, "INTEGRESQL_ADDRESS")
                            + ") is not an address of this machine: use 127.0.0.1 (the default), 0.0.0.0 or an"
                            + " interface's address.",
                    e);
        }
    }

    private static Duration milliseconds(Configuration config, String key, int defaultValue) {
        return Duration.ofMillis(wholeNumber(config, key, defaultValue, 1, Integer.MAX_VALUE));
    }

    private static int wholeNumber(Configuration config, String key, int defaultValue, int min, int max) {
        Optional<Setting<String>> raw = config.raw(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String value = raw.get().value().trim();
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidConfigurationException("'" + key + "' = '" + value + "' (from "
                + raw.get().source() + ") is not a whole number from " + min + " to " + max + ".");
    }

    private static String source(Configuration config, String key) {
        return config.raw(key).map(Setting::source).orElse("default");
    }

    @Override
    public String toString() {
        return "ServeSettings[" + address + (token == null ? "" : ", token required") + ", " + server + "]";
    }
}
