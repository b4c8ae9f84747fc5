package org.isolatedpg.spring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Configuration from an application context's environment: {@code isolatedpg.*} properties as they are, then the
 * schema Spring Boot would migrate, read from {@code spring.flyway.*} and {@code spring.liquibase.*}.
 *
 * <p>Boot's default locations count where they exist ({@code classpath:db/migration} for Flyway, else
 * {@code db/changelog/db.changelog-master.yaml}), as Boot migrates them; where they do not, Boot migrates nothing and
 * isolated-postgres' own defaults apply.
 */
final class SpringSchemaSource {

    private static final String BOOT_SETTINGS = "Spring Boot's spring.flyway.* and spring.liquibase.* properties";

    /** Boot's default changelog. */
    private static final String BOOT_CHANGELOG = "classpath:db/changelog/db.changelog-master.yaml";

    private SpringSchemaSource() {}

    /** Reads the environment now: the context's customizer then turns Boot's own SQL initialization off. */
    static ConfigSource of(Environment environment, ClassLoader loader) {
        Map<String, String> boot = bootSchema(environment, loader);
        return new ConfigSource() {
            @Override
            public Optional<String> get(String key) {
                return own(key).or(() -> Optional.ofNullable(boot.get(key)));
            }

            @Override
            public String describe(String key) {
                return own(key).isPresent() ? "Spring property '" + key + "'" : BOOT_SETTINGS + " (as '" + key + "')";
            }

            private Optional<String> own(String key) {
                return Optional.ofNullable(environment.getProperty(key)).filter(value -> !value.isBlank());
            }
        };
    }

    private static Map<String, String> bootSchema(Environment environment, ClassLoader loader) {
        Binder binder = Binder.get(environment);
        Map<String, String> values = new LinkedHashMap<>();
        boolean flyway = ClassUtils.isPresent("org.flywaydb.core.Flyway", loader)
                && binder.bind("spring.flyway.enabled", Boolean.class).orElse(true);
        boolean liquibase = ClassUtils.isPresent("liquibase.integration.spring.SpringLiquibase", loader)
                && binder.bind("spring.liquibase.enabled", Boolean.class).orElse(true);
        if (flyway) {
            List<String> locations = binder.bind("spring.flyway.locations", Bindable.listOf(String.class))
                    .orElse(exists("classpath:db/migration", loader) ? List.of("classpath:db/migration") : List.of());
            if (!locations.isEmpty()) {
                values.put(
                        ConfigKeys.FLYWAY_LOCATIONS,
                        locations.stream()
                                .map(location -> normalise(location.replace("{vendor}", "postgresql")))
                                .collect(Collectors.joining(",")));
            }
            binder.bind("spring.flyway.placeholders", Bindable.mapOf(String.class, String.class))
                    .ifBound(placeholders -> values.put(ConfigKeys.FLYWAY_PLACEHOLDERS, pairs(placeholders)));
        }
        if (liquibase && !values.containsKey(ConfigKeys.FLYWAY_LOCATIONS)) {
            String changelog = binder.bind("spring.liquibase.change-log", String.class)
                    .map(SpringSchemaSource::normalise)
                    .orElse(BOOT_CHANGELOG);
            if (!changelog.equals(BOOT_CHANGELOG) || exists(BOOT_CHANGELOG, loader)) {
                values.put(ConfigKeys.LIQUIBASE_CHANGELOG, changelog);
            }
            binder.bind("spring.liquibase.contexts", Bindable.listOf(String.class))
                    .ifBound(contexts -> values.put(ConfigKeys.LIQUIBASE_CONTEXTS, String.join(",", contexts)));
            binder.bind("spring.liquibase.label-filter", Bindable.listOf(String.class))
                    .ifBound(labels -> values.put(ConfigKeys.LIQUIBASE_LABELS, String.join(",", labels)));
            binder.bind("spring.liquibase.parameters", Bindable.mapOf(String.class, String.class))
                    .ifBound(parameters -> values.put(ConfigKeys.LIQUIBASE_PARAMETERS, pairs(parameters)));
        }
        sqlInitScripts(binder, loader).ifPresent(scripts -> values.put(ConfigKeys.SCRIPTS, scripts));
        return Map.copyOf(values);
    }

    /**
     * Boot's {@code schema.sql} and {@code data.sql}, where {@code spring.sql.init.mode=always} makes Boot run them
     * (its default, {@code embedded}, does not for PostgreSQL): as scripts of the template, schema first.
     */
    private static Optional<String> sqlInitScripts(Binder binder, ClassLoader loader) {
        if (!binder.bind("spring.sql.init.mode", String.class)
                .orElse("embedded")
                .equalsIgnoreCase("always")) {
            return Optional.empty();
        }
        String platform = binder.bind("spring.sql.init.platform", String.class).orElse("all");
        List<String> scripts = new ArrayList<>();
        for (String kind : List.of("schema", "data")) {
            List<String> locations = binder.bind(
                            "spring.sql.init." + kind + "-locations", Bindable.listOf(String.class))
                    .orElse(List.of(
                            "optional:classpath*:" + kind + "-" + platform + ".sql",
                            "optional:classpath*:" + kind + ".sql"));
            for (String location : locations) {
                boolean optional = location.startsWith("optional:");
                String plain = normalise(location.substring(optional ? "optional:".length() : 0)
                        .replace("classpath*:", "classpath:")
                        .replaceFirst("^file:", "filesystem:"));
                if (!optional || exists(plain, loader)) {
                    scripts.add(plain);
                }
            }
        }
        return scripts.isEmpty() ? Optional.empty() : Optional.of(String.join(",", scripts));
    }

    private static boolean exists(String location, ClassLoader loader) {
        if (location.startsWith("classpath:")) {
            return loader.getResource(location.substring("classpath:".length())) != null;
        }
        String path = location.startsWith("filesystem:") ? location.substring("filesystem:".length()) : location;
        return Files.exists(Path.of(path));
    }

    /** Boot writes {@code classpath:/db/changelog/…}; isolated-postgres' locations have no leading slash. */
    private static String normalise(String location) {
        String trimmed = location.trim();
        return trimmed.startsWith("classpath:/") ? "classpath:" + trimmed.substring("classpath:/".length()) : trimmed;
    }

    private static String pairs(Map<String, String> values) {
        List<String> pairs = values.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .toList();
        return String.join(",", pairs);
    }
}
