package org.isolatedpg.core.internal.config;

import java.util.List;
import java.util.Optional;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.Setting;

/** Looks a key up in the sources, highest precedence first, and parses it, keeping the value's provenance. */
public final class ConfigResolver {

    private final List<ConfigSource> sources;

    public ConfigResolver(List<ConfigSource> sources) {
        this.sources = List.copyOf(sources);
    }

    public Optional<Setting<String>> raw(String key) {
        for (ConfigSource source : sources) {
            Optional<String> value = source.get(key);
            if (value.isPresent()) {
                return Optional.of(new Setting<>(key, value.get().strip(), source.describe(key)));
            }
        }
        return Optional.empty();
    }

    /** The position of the first source that has the key (0 is the highest precedence); the number of sources if none. */
    public int rank(String key) {
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).get(key).isPresent()) {
                return i;
            }
        }
        return sources.size();
    }

    public <T> Setting<T> resolve(String key, T defaultValue, Parser<T> parser) {
        Optional<Setting<String>> raw = raw(key);
        if (raw.isEmpty()) {
            return new Setting<>(key, defaultValue, "default");
        }
        Setting<String> found = raw.get();
        try {
            return new Setting<>(key, parser.parse(found.value()), found.source());
        } catch (IllegalArgumentException e) {
            if (Secrets.looksSecret(key)) {
                // neither the value nor the parser's message, which may quote it
                throw new InvalidConfigurationException("Invalid value for '" + key + "' (from " + found.source()
                        + "; not shown, as it is a secret): expected " + parser.acceptedForm() + ".");
            }
            throw new InvalidConfigurationException(
                    "Invalid value '" + Secrets.printable(key, found.value()) + "' for '" + key + "' (from "
                            + found.source() + "): expected " + parser.acceptedForm() + ".",
                    e);
        }
    }
}
