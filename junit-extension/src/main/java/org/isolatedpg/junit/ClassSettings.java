package org.isolatedpg.junit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.TemplateInitializer;
import org.isolatedpg.core.TemplateSpec;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The settings of one test class: its {@code @IsolatedPostgres}, then JUnit configuration parameters, then the
 * environment, then defaults (the pool size follows JUnit's parallelism).
 */
record ClassSettings(
        List<ConfigSource> sources,
        Configuration configuration,
        TemplateSpec templateSpec,
        PoolSettings poolSettings,
        boolean perClass) {

    /** How {@value ConfigKeys#ISOLATION} is written in configuration. */
    private enum ConfiguredIsolation {
        PER_METHOD,
        PER_CLASS
    }

    static ClassSettings resolve(Class<?> annotatedClass, IsolatedPostgres annotation, ExtensionContext context) {
        List<ConfigSource> sources = new ArrayList<>();
        sources.add(annotationSource(annotatedClass, annotation));
        sources.add(ConfigSource.of("configuration parameter", context::getConfigurationParameter));
        sources.add(ConfigSource.environment());
        int parallelism = JunitParallelism.of(context);
        // Twice the parallelism: measured, a pool of 2 for sequential 50 ms tests ran dry now and then (handover p95
        // 6.5 ms), one of 4 did not (p95 2.0 ms).
        sources.add(ConfigSource.of(
                "default (twice JUnit's parallelism " + parallelism + ", at least 4)",
                Map.of(ConfigKeys.POOL_SIZE, Integer.toString(Math.min(64, Math.max(4, 2 * parallelism))))));
        Configuration configuration = Configuration.from(sources);
        boolean perClass = configuration
                        .enumeration(ConfigKeys.ISOLATION, ConfiguredIsolation.class, ConfiguredIsolation.PER_METHOD)
                        .value()
                == ConfiguredIsolation.PER_CLASS;
        // The server's settings are read when the run's server starts; read here too, an invalid one fails the class
        // before any test runs, as any other setting does.
        configuration.serverSettings();
        return new ClassSettings(
                List.copyOf(sources),
                configuration,
                configuration.templateSpec(),
                configuration.poolSettings(),
                perClass);
    }

    /** The configuration with {@code source} ranked just below the annotation. */
    Configuration with(ConfigSource source) {
        List<ConfigSource> ranked = new ArrayList<>(sources);
        ranked.add(1, source);
        return Configuration.from(ranked);
    }

    private static ConfigSource annotationSource(Class<?> annotatedClass, IsolatedPostgres annotation) {
        Map<String, String> values = new HashMap<>();
        if (annotation.migrations().length > 0) {
            values.put(ConfigKeys.FLYWAY_LOCATIONS, String.join(",", annotation.migrations()));
        }
        if (!annotation.liquibase().isEmpty()) {
            values.put(ConfigKeys.LIQUIBASE_CHANGELOG, annotation.liquibase());
        }
        if (annotation.scripts().length > 0) {
            values.put(ConfigKeys.SCRIPTS, String.join(",", annotation.scripts()));
        }
        if (annotation.initializer() != TemplateInitializer.class) {
            values.put(ConfigKeys.INITIALIZER, annotation.initializer().getName());
        }
        if (annotation.fixtures().length > 0) {
            values.put(ConfigKeys.FIXTURES, String.join(",", annotation.fixtures()));
        }
        if (annotation.isolation() != Isolation.DEFAULT) {
            values.put(ConfigKeys.ISOLATION, annotation.isolation().name().toLowerCase(Locale.ROOT));
        }
        return ConfigSource.of("annotation on [" + annotatedClass.getName() + "]", values);
    }

    /** JUnit's parallelism, as its configuration parameters set it: 1 when parallel execution is off. */
    private static final class JunitParallelism {

        static int of(ExtensionContext context) {
            if (!context.getConfigurationParameter("junit.jupiter.execution.parallel.enabled", Boolean::parseBoolean)
                    .orElse(false)) {
                return 1;
            }
            int processors = Runtime.getRuntime().availableProcessors();
            String strategy = context.getConfigurationParameter("junit.jupiter.execution.parallel.config.strategy")
                    .orElse("dynamic")
                    .toLowerCase(Locale.ROOT);
            try {
                Optional<String> value = switch (strategy) {
                    case "fixed" ->
                        context.getConfigurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism");
                    case "dynamic" ->
                        context.getConfigurationParameter("junit.jupiter.execution.parallel.config.dynamic.factor")
                                .map(factor -> Long.toString(Math.round(Double.parseDouble(factor) * processors)));
                    default -> Optional.empty();
                };
                return Math.max(1, value.map(Integer::parseInt).orElse(processors));
            } catch (NumberFormatException e) {
                return processors; // JUnit itself rejects the value and says so
            }
        }
    }
}
