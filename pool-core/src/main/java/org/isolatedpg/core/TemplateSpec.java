package org.isolatedpg.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.isolatedpg.core.internal.config.Secrets;

/**
 * What decides a template's content: the Flyway locations of the migrations and the placeholders they use. Two test
 * classes with equal specs share one template and one pool.
 *
 * <p>Build it with {@link Configuration#templateSpec()}; {@code locationsSource} only says, in messages, where the
 * locations came from and takes no part in equality.
 *
 * @param locations Flyway locations, {@code classpath:…} or {@code filesystem:…}
 * @param placeholders Flyway placeholders; never printed, as they may hold secrets
 * @param locationsSource where the locations came from
 * @since 0.1
 */
public record TemplateSpec(List<String> locations, Map<String, String> placeholders, String locationsSource) {

    public TemplateSpec {
        locations = List.copyOf(locations);
        placeholders = Map.copyOf(placeholders);
        Objects.requireNonNull(locationsSource, "locationsSource");
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("A template needs at least one migration location");
        }
    }

    /** A spec of the given locations and no placeholders. */
    public static TemplateSpec of(String... locations) {
        return new TemplateSpec(List.of(locations), Map.of(), "the caller");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TemplateSpec that
                && locations.equals(that.locations)
                && placeholders.equals(that.placeholders);
    }

    @Override
    public int hashCode() {
        return Objects.hash(locations, placeholders);
    }

    /** The locations and the placeholders' names; never their values, which may be secrets. */
    @Override
    public String toString() {
        return "TemplateSpec" + locations
                + (placeholders.isEmpty() ? "" : " placeholders " + Secrets.names(placeholders));
    }
}
