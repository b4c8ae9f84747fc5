package org.isolatedpg.spring;

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
 * <p>Boot's defaults are left to isolated-postgres' own, which are the same ({@code classpath:db/migration}, else
 * {@code db/changelog/db.changelog-master.yaml}) but do not fail where the location is missing, as Boot does not.
 */
final class SpringSchemaSource {

    private static final String BOOT_SETTINGS = "Spring Boot's spring.flyway.* and spring.liquibase.* properties";

    private SpringSchemaSource() {}

    static ConfigSource of(Environment environment) {
        Map<String, String> boot = bootSchema(environment);
        return new ConfigSource() {
            @Override
            public Optional<String> get(String key) {
                Optional<String> own = Optional.ofNullable(environment.getProperty(key));
                return own.filter(value -> !value.isBlank()).or(() -> Optional.ofNullable(boot.get(key)));
            }

            @Override
            public String describe(String key) {
                return environment.containsProperty(key)
                        ? "Spring property '" + key + "'"
                        : BOOT_SETTINGS + " (as '" + key + "')";
            }
        };
    }

    private static Map<String, String> bootSchema(Environment environment) {
        Binder binder = Binder.get(environment);
        ClassLoader loader = SpringSchemaSource.class.getClassLoader();
        Map<String, String> values = new LinkedHashMap<>();
        boolean flyway = ClassUtils.isPresent("org.flywaydb.core.Flyway", loader)
                && binder.bind("spring.flyway.enabled", Boolean.class).orElse(true);
        boolean liquibase = ClassUtils.isPresent("liquibase.integration.spring.SpringLiquibase", loader)
                && binder.bind("spring.liquibase.enabled", Boolean.class).orElse(true);
        if (flyway) {
            binder.bind("spring.flyway.locations", Bindable.listOf(String.class))
                    .ifBound(locations -> values.put(
                            ConfigKeys.FLYWAY_LOCATIONS,
                            locations.stream()
                                    .map(location -> normalise(location.replace("{vendor}", "postgresql")))
                                    .collect(Collectors.joining(","))));
            binder.bind("spring.flyway.placeholders", Bindable.mapOf(String.class, String.class))
                    .ifBound(placeholders -> values.put(ConfigKeys.FLYWAY_PLACEHOLDERS, pairs(placeholders)));
        }
        if (liquibase && !values.containsKey(ConfigKeys.FLYWAY_LOCATIONS)) {
            binder.bind("spring.liquibase.change-log", String.class)
                    .ifBound(changelog -> values.put(ConfigKeys.LIQUIBASE_CHANGELOG, normalise(changelog)));
            binder.bind("spring.liquibase.contexts", Bindable.listOf(String.class))
                    .ifBound(contexts -> values.put(ConfigKeys.LIQUIBASE_CONTEXTS, String.join(",", contexts)));
            binder.bind("spring.liquibase.label-filter", Bindable.listOf(String.class))
                    .ifBound(labels -> values.put(ConfigKeys.LIQUIBASE_LABELS, String.join(",", labels)));
            binder.bind("spring.liquibase.parameters", Bindable.mapOf(String.class, String.class))
                    .ifBound(parameters -> values.put(ConfigKeys.LIQUIBASE_PARAMETERS, pairs(parameters)));
        }
        return Map.copyOf(values);
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
