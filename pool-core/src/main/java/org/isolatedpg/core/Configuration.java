package org.isolatedpg.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.isolatedpg.core.internal.config.ConfigResolver;
import org.isolatedpg.core.internal.config.JdbcUrl;
import org.isolatedpg.core.internal.config.Parser;
import org.isolatedpg.core.internal.config.Parsers;

/**
 * Turns configuration sources into settings. Every value remembers where it came from, and an invalid value fails
 * at once with an {@link InvalidConfigurationException} naming the key, the value, its source and the accepted form.
 *
 * <pre>{@code
 * Configuration config = Configuration.from(List.of(ConfigSource.systemProperties(), ConfigSource.environment()));
 * try (PostgresServer server = PostgresServer.start(config.serverSettings());
 *      TestDatabasePool pool = TestDatabasePool.open(server, config.templateSpec(), config.poolSettings())) {
 *     ...
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class Configuration {

    private static final long MIN_TMPFS = 1L << 30;

    private final ConfigResolver resolver;

    private Configuration(List<ConfigSource> sources) {
        this.resolver = new ConfigResolver(sources);
    }

    /** A configuration reading the sources in order, highest precedence first. */
    public static Configuration from(List<ConfigSource> sources) {
        return new Configuration(List.copyOf(sources));
    }

    /** System properties, then environment variables. */
    public static Configuration fromSystem() {
        return from(List.of(ConfigSource.systemProperties(), ConfigSource.environment()));
    }

    /**
     * The server's settings. Credentials, highest precedence first: the keys {@value ConfigKeys#SERVER_USER} and
     * {@value ConfigKeys#SERVER_PASSWORD}, then the {@code user} and {@code password} parameters of the URL, then
     * {@code PGUSER} and {@code PGPASSWORD}.
     */
    public ServerSettings serverSettings() {
        Setting<String> url = serverUrl();
        return new ServerSettings(
                resolver.resolve(ConfigKeys.SERVER_MODE, ServerMode.EMBEDDED, Parsers.enumeration(ServerMode.class)),
                url,
                resolver.raw(ConfigKeys.SERVER_USER)
                        .or(() -> fromUrl(url, "user", ConfigKeys.SERVER_USER))
                        .or(() -> resolver.raw("PGUSER"))
                        .orElse(new Setting<>(ConfigKeys.SERVER_USER, System.getProperty("user.name"), "default")),
                resolver.raw(ConfigKeys.SERVER_PASSWORD)
                        .or(() -> fromUrl(url, "password", ConfigKeys.SERVER_PASSWORD))
                        .or(() -> resolver.raw("PGPASSWORD"))
                        .map(Setting::value)
                        .orElse(""),
                resolver.resolve(ConfigKeys.EMBEDDED_DATA_DIRECTORY, defaultDataDirectory(), Parsers.DIRECTORY),
                resolver.resolve(ConfigKeys.EMBEDDED_CACHE_DIRECTORY, defaultCacheDirectory(), Parsers.DIRECTORY),
                resolver.resolve(
                        ConfigKeys.EMBEDDED_BINARIES_REPOSITORY,
                        "https://repo.maven.apache.org/maven2",
                        Parsers.REPOSITORY_URL),
                resolver.resolve(ConfigKeys.EMBEDDED_STARTUP_TIMEOUT, Duration.ofSeconds(60), Parsers.DURATION),
                resolver.resolve(ConfigKeys.EMBEDDED_KEEP_RUNNING, false, Parsers.BOOLEAN),
                resolver.resolve(ConfigKeys.EMBEDDED_SETTINGS, Map.of(), Parsers.SERVER_SETTINGS),
                resolver.resolve(ConfigKeys.CONTAINER_IMAGE, "postgres:18", Parsers.TEXT),
                resolver.resolve(ConfigKeys.TEMPLATE_RETENTION, Duration.ofDays(7), Parsers.DURATION),
                resolver.resolve(ConfigKeys.KEEP_FAILED, 5, Parsers.KEPT_DATABASES));
    }

    /** A credential in the URL's query, as the setting of {@code key}. */
    private static Optional<Setting<String>> fromUrl(Setting<String> url, String parameter, String key) {
        return JdbcUrl.parameter(url.value(), parameter)
                .filter(value -> !value.isEmpty())
                .map(value ->
                        new Setting<>(key, value, "the " + parameter + " parameter of the URL from " + url.source()));
    }

    /** The external server's URL: the key, else libpq's variables, else empty. */
    private Setting<String> serverUrl() {
        Optional<Setting<String>> url = resolver.raw(ConfigKeys.SERVER_URL);
        if (url.isPresent()) {
            return resolver.resolve(ConfigKeys.SERVER_URL, "", Parsers.JDBC_URL);
        }
        Optional<Setting<String>> host = resolver.raw("PGHOST");
        if (host.isEmpty()) {
            return new Setting<>(ConfigKeys.SERVER_URL, "", "default");
        }
        String port = resolver.raw("PGPORT").map(Setting::value).orElse("5432");
        String database = resolver.raw("PGDATABASE").map(Setting::value).orElse("postgres");
        return new Setting<>(
                ConfigKeys.SERVER_URL,
                "jdbc:postgresql://" + host.get().value() + ":" + port + "/" + database,
                "environment variables PGHOST, PGPORT and PGDATABASE");
    }

    public PoolSettings poolSettings() {
        return new PoolSettings(
                resolver.resolve(ConfigKeys.POOL_SIZE, 4, Parsers.wholeNumber(1, 64)),
                resolver.resolve(ConfigKeys.POOL_ACQUIRE_TIMEOUT, Duration.ofSeconds(60), Parsers.DURATION),
                resolver.resolve(
                        ConfigKeys.CLONE_STRATEGY, CloneStrategy.FILE_COPY, Parsers.enumeration(CloneStrategy.class)),
                resolver.resolve(ConfigKeys.DATASOURCE_MAXIMUM_POOL_SIZE, 10, Parsers.wholeNumber(1, 100)),
                resolver.resolve(ConfigKeys.POOL_CLOSE_TIMEOUT, Duration.ofSeconds(10), Parsers.DURATION),
                resolver.resolve(
                        ConfigKeys.DATASOURCE_PRIVILEGES, Privileges.RESTRICTED, Parsers.enumeration(Privileges.class)),
                resolver.resolve(ConfigKeys.TEMPLATE_INCREMENTAL, true, Parsers.BOOLEAN));
    }

    /**
     * What the template is made from. Flyway and Liquibase exclude each other: where both are set, the one from the
     * higher-precedence source wins, so an annotation naming a changelog overrides Flyway locations in a file.
     */
    public TemplateSpec templateSpec() {
        TemplateSpec.Builder spec = TemplateSpec.builder();
        Optional<Setting<List<String>>> flyway = optional(ConfigKeys.FLYWAY_LOCATIONS, Parsers.LOCATIONS);
        Optional<Setting<String>> liquibase = optional(ConfigKeys.LIQUIBASE_CHANGELOG, Parsers.TEXT);
        if (flyway.isPresent() && liquibase.isPresent()) {
            int flywayRank = resolver.rank(ConfigKeys.FLYWAY_LOCATIONS);
            int liquibaseRank = resolver.rank(ConfigKeys.LIQUIBASE_CHANGELOG);
            if (flywayRank < liquibaseRank) {
                liquibase = Optional.empty();
            } else if (liquibaseRank < flywayRank) {
                flyway = Optional.empty();
            }
        }
        flyway.ifPresent(locations -> spec.flyway(locations.value()).origin(locations.key(), locations.source()));
        liquibase.ifPresent(changelog -> spec.liquibase(changelog.value()).origin(changelog.key(), changelog.source()));
        spec.flywayPlaceholders(resolver.resolve(ConfigKeys.FLYWAY_PLACEHOLDERS, Map.of(), Parsers.PLACEHOLDERS)
                .value());
        spec.liquibaseContexts(resolver.resolve(ConfigKeys.LIQUIBASE_CONTEXTS, "", Parsers.TEXT)
                .value());
        spec.liquibaseLabels(
                resolver.resolve(ConfigKeys.LIQUIBASE_LABELS, "", Parsers.TEXT).value());
        spec.liquibaseParameters(resolver.resolve(ConfigKeys.LIQUIBASE_PARAMETERS, Map.of(), Parsers.PLACEHOLDERS)
                .value());
        optional(ConfigKeys.SCRIPTS, Parsers.LOCATIONS)
                .ifPresent(scripts -> spec.scripts(scripts.value()).origin(scripts.key(), scripts.source()));
        spec.keepOwnersAndPrivileges(
                resolver.resolve(ConfigKeys.SCRIPTS_KEEP_OWNERS_AND_PRIVILEGES, false, Parsers.BOOLEAN)
                        .value());
        optional(ConfigKeys.INITIALIZER, Parsers.CLASS_NAME)
                .ifPresent(initializer ->
                        spec.initializer(initializer.value()).origin(initializer.key(), initializer.source()));
        optional(ConfigKeys.FIXTURES, Parsers.LOCATIONS)
                .ifPresent(fixtures -> spec.fixtures(fixtures.value()).origin(fixtures.key(), fixtures.source()));
        return spec.build();
    }

    private <T> Optional<Setting<T>> optional(String key, Parser<T> parser) {
        return resolver.raw(key).map(raw -> resolver.resolve(key, null, parser));
    }

    /** An enumeration setting such as {@value ConfigKeys#ISOLATION}, written in lower case with underscores. */
    public <E extends Enum<E>> Setting<E> enumeration(String key, Class<E> type, E defaultValue) {
        return resolver.resolve(key, defaultValue, Parsers.enumeration(type));
    }

    /** The raw value of a key and its source, if any source has it. */
    public Optional<Setting<String>> raw(String key) {
        return resolver.raw(key);
    }

    /**
     * tmpfs where there is room: containers often mount a 64 MB {@code /dev/shm}, which a few clones fill (and
     * PostgreSQL's shared memory lives there too).
     */
    private static Path defaultDataDirectory() {
        Path shm = Path.of("/dev/shm");
        try {
            if (Files.isDirectory(shm)
                    && Files.isWritable(shm)
                    && Files.getFileStore(shm).getUsableSpace() >= MIN_TMPFS) {
                return shm;
            }
        } catch (java.io.IOException e) {
            // not usable: fall back
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static Path defaultCacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("isolated-postgres");
    }
}
