package org.isolatedpg.core;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One place configuration values come from: an annotation, JUnit configuration parameters, the environment, a map.
 *
 * <p>isolated-postgres never reads ambient sources on its own: callers pass the sources they want, highest
 * precedence first, to {@link Configuration#from(java.util.List)}.
 *
 * @since 0.1
 */
public interface ConfigSource {

    /** The value of {@code key} in this source, if it has one. */
    Optional<String> get(String key);

    /** Where the value of {@code key} comes from, for messages: {@code "configuration parameter 'isolatedpg.pool.size'"}. */
    String describe(String key);

    /** A source backed by a lookup function, described as {@code "<description> '<key>'"}. */
    static ConfigSource of(String description, Function<String, Optional<String>> lookup) {
        return new ConfigSource() {
            @Override
            public Optional<String> get(String key) {
                return lookup.apply(key).filter(value -> !value.isBlank());
            }

            @Override
            public String describe(String key) {
                return description + " '" + key + "'";
            }
        };
    }

    /** A source backed by a map, described by {@code description}, for example {@code "annotation on [OrderTests]"}. */
    static ConfigSource of(String description, Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return new ConfigSource() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(copy.get(key)).filter(value -> !value.isBlank());
            }

            @Override
            public String describe(String key) {
                return description;
            }
        };
    }

    /** JVM system properties. */
    static ConfigSource systemProperties() {
        return of("system property", key -> Optional.ofNullable(System.getProperty(key)));
    }

    /** Environment variables, named from the key by the rule in {@link ConfigKeys}. */
    static ConfigSource environment() {
        return environment(System.getenv());
    }

    /** The given environment, named from the key by the rule in {@link ConfigKeys}. */
    static ConfigSource environment(Map<String, String> environment) {
        return new ConfigSource() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(environment.get(environmentName(key)))
                        .filter(value -> !value.isBlank());
            }

            @Override
            public String describe(String key) {
                return "environment variable " + environmentName(key);
            }
        };
    }

    /** The environment variable for a key: upper-case, with {@code .} and {@code -} turned into {@code _}. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
