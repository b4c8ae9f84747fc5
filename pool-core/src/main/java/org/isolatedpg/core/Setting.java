package org.isolatedpg.core;

import org.isolatedpg.core.internal.config.Secrets;

/**
 * A resolved configuration value and where it came from, so that messages can say both.
 *
 * @param key the configuration key, one of {@link ConfigKeys}
 * @param value the value
 * @param source where the value came from: a source's description, or {@code "default"}
 * @param <T> the value's type
 * @since 0.1
 */
public record Setting<T>(String key, T value, String source) {

    /**
     * {@code 'isolatedpg.pool.size' = 4 (from environment variable ISOLATEDPG_POOL_SIZE)}. Secrets are never shown: a
     * password as {@code <masked>}, a URL with its password masked, Flyway placeholders by name only.
     */
    @Override
    public String toString() {
        return "'" + key + "' = " + Secrets.printable(key, value) + " (from " + source + ")";
    }
}
