package org.isolatedpg.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import org.isolatedpg.core.internal.config.Secrets;

/**
 * What a template is made from, in the order it is built: Flyway migrations <em>or</em> a Liquibase changelog, then
 * SQL scripts (files, folders, {@code pg_dump -Fp} output, anonymisation scripts), then a {@link TemplateInitializer};
 * and, on top of that finished template, fixtures that make a child template. Two test classes with equal specs share
 * one template and one pool.
 *
 * <p>A spec that names no source at all is <em>automatic</em>: the template is built from {@code classpath:db/migration}
 * with Flyway if it exists, else from Spring Boot's default changelog
 * {@code classpath:db/changelog/db.changelog-master.{yaml,yml,xml,json,sql}} with Liquibase, else it is an empty
 * database.
 *
 * <pre>{@code
 * TemplateSpec spec = TemplateSpec.builder()
 *         .liquibase("classpath:db/changelog/db.changelog-master.yaml")
 *         .liquibaseContexts("test")
 *         .scripts("classpath:db/seed.sql")
 *         .build();
 * }</pre>
 *
 * <p>Build it with {@link Configuration#templateSpec()} or {@link #builder()}. Where each part came from is kept for
 * messages ({@link #origin(String)}) and takes no part in equality.
 *
 * @since 0.1
 */
public final class TemplateSpec {

    private final List<String> flywayLocations;
    private final Map<String, String> flywayPlaceholders;
    private final String liquibaseChangelog;
    private final String liquibaseContexts;
    private final String liquibaseLabels;
    private final Map<String, String> liquibaseParameters;
    private final List<String> scripts;
    private final boolean keepOwnersAndPrivileges;
    private final String initializer;
    private final List<String> fixtures;
    private final Map<String, String> origins;

    private TemplateSpec(Builder builder) {
        this.flywayLocations = List.copyOf(builder.flywayLocations);
        this.flywayPlaceholders = Map.copyOf(builder.flywayPlaceholders);
        this.liquibaseChangelog = builder.liquibaseChangelog;
        this.liquibaseContexts = builder.liquibaseContexts;
        this.liquibaseLabels = builder.liquibaseLabels;
        this.liquibaseParameters = Map.copyOf(builder.liquibaseParameters);
        this.scripts = List.copyOf(builder.scripts);
        this.keepOwnersAndPrivileges = builder.keepOwnersAndPrivileges;
        this.initializer = builder.initializer;
        this.fixtures = List.copyOf(builder.fixtures);
        this.origins = Map.copyOf(builder.origins);
    }

    /** A spec of Flyway migrations at the given locations ({@code classpath:} when there is no prefix). */
    public static TemplateSpec of(String... flywayLocations) {
        return builder().flyway(flywayLocations).build();
    }

    /** A new builder; built with nothing set, the spec is automatic. */
    public static Builder builder() {
        return new Builder();
    }

    /** Flyway locations, as given; empty when the template uses no Flyway. */
    public List<String> flywayLocations() {
        return flywayLocations;
    }

    /** Flyway placeholders; never printed, as they may hold secrets. */
    public Map<String, String> flywayPlaceholders() {
        return flywayPlaceholders;
    }

    /** The Liquibase changelog, if the template uses Liquibase. */
    public Optional<String> liquibaseChangelog() {
        return Optional.ofNullable(liquibaseChangelog);
    }

    /** The Liquibase contexts expression; empty for none. */
    public String liquibaseContexts() {
        return liquibaseContexts;
    }

    /** The Liquibase labels expression; empty for none. */
    public String liquibaseLabels() {
        return liquibaseLabels;
    }

    /** Liquibase changelog parameters; never printed, as they may hold secrets. */
    public Map<String, String> liquibaseParameters() {
        return liquibaseParameters;
    }

    /** SQL script locations, run in this order after the migrations. */
    public List<String> scripts() {
        return scripts;
    }

    /**
     * Whether scripts keep {@code OWNER TO} and {@code GRANT}/{@code REVOKE} statements naming roles that do not
     * exist (they then fail); by default those are skipped, as {@code pg_restore --no-owner --no-privileges} would.
     */
    public boolean keepOwnersAndPrivileges() {
        return keepOwnersAndPrivileges;
    }

    /** The {@link TemplateInitializer}'s class name, if there is one. */
    public Optional<String> initializer() {
        return Optional.ofNullable(initializer);
    }

    /** Fixture script locations applied on top of the finished template to make a child template. */
    public List<String> fixtures() {
        return fixtures;
    }

    /** Whether the spec names no source, so the template is found by convention (see the class description). */
    public boolean isAutomatic() {
        return flywayLocations.isEmpty() && liquibaseChangelog == null && scripts.isEmpty() && initializer == null;
    }

    /** This spec without its fixtures: the template the fixtures are applied on top of. */
    public TemplateSpec withoutFixtures() {
        return fixtures.isEmpty() ? this : toBuilder().fixtures(List.of()).build();
    }

    /**
     * Where the value of a configuration key came from ({@code annotation on [com.example.BookTests]}), for messages;
     * {@code the caller} when it was set on a builder without an origin.
     */
    public String origin(String key) {
        return origins.getOrDefault(key, "the caller");
    }

    private Builder toBuilder() {
        Builder builder = new Builder();
        builder.flywayLocations = flywayLocations;
        builder.flywayPlaceholders = flywayPlaceholders;
        builder.liquibaseChangelog = liquibaseChangelog;
        builder.liquibaseContexts = liquibaseContexts;
        builder.liquibaseLabels = liquibaseLabels;
        builder.liquibaseParameters = liquibaseParameters;
        builder.scripts = scripts;
        builder.keepOwnersAndPrivileges = keepOwnersAndPrivileges;
        builder.initializer = initializer;
        builder.fixtures = fixtures;
        builder.origins.putAll(origins);
        return builder;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TemplateSpec that
                && flywayLocations.equals(that.flywayLocations)
                && flywayPlaceholders.equals(that.flywayPlaceholders)
                && Objects.equals(liquibaseChangelog, that.liquibaseChangelog)
                && liquibaseContexts.equals(that.liquibaseContexts)
                && liquibaseLabels.equals(that.liquibaseLabels)
                && liquibaseParameters.equals(that.liquibaseParameters)
                && scripts.equals(that.scripts)
                && keepOwnersAndPrivileges == that.keepOwnersAndPrivileges
                && Objects.equals(initializer, that.initializer)
                && fixtures.equals(that.fixtures);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                flywayLocations,
                flywayPlaceholders,
                liquibaseChangelog,
                liquibaseContexts,
                liquibaseLabels,
                liquibaseParameters,
                scripts,
                keepOwnersAndPrivileges,
                initializer,
                fixtures);
    }

    /** The parts that are set; placeholders and parameters by name only, as their values may be secrets. */
    @Override
    public String toString() {
        StringJoiner parts = new StringJoiner(", ", "TemplateSpec[", "]");
        if (isAutomatic()) {
            parts.add("automatic");
        }
        if (!flywayLocations.isEmpty()) {
            parts.add("flyway " + flywayLocations
                    + (flywayPlaceholders.isEmpty() ? "" : " placeholders " + Secrets.names(flywayPlaceholders)));
        }
        if (liquibaseChangelog != null) {
            parts.add("liquibase " + liquibaseChangelog
                    + (liquibaseContexts.isEmpty() ? "" : " contexts " + liquibaseContexts)
                    + (liquibaseLabels.isEmpty() ? "" : " labels " + liquibaseLabels)
                    + (liquibaseParameters.isEmpty() ? "" : " parameters " + Secrets.names(liquibaseParameters)));
        }
        if (!scripts.isEmpty()) {
            parts.add("scripts " + scripts + (keepOwnersAndPrivileges ? " keeping owners and privileges" : ""));
        }
        if (initializer != null) {
            parts.add("initializer " + initializer);
        }
        if (!fixtures.isEmpty()) {
            parts.add("fixtures " + fixtures);
        }
        return parts.toString();
    }

    /**
     * Builds a {@link TemplateSpec}. At most one of Flyway and Liquibase.
     *
     * @since 0.1
     */
    public static final class Builder {

        private List<String> flywayLocations = List.of();
        private Map<String, String> flywayPlaceholders = Map.of();
        private String liquibaseChangelog;
        private String liquibaseContexts = "";
        private String liquibaseLabels = "";
        private Map<String, String> liquibaseParameters = Map.of();
        private List<String> scripts = List.of();
        private boolean keepOwnersAndPrivileges;
        private String initializer;
        private List<String> fixtures = List.of();
        private final Map<String, String> origins = new HashMap<>();

        private Builder() {}

        /** Flyway locations ({@code classpath:…}, {@code filesystem:…}; {@code classpath:} when there is no prefix). */
        public Builder flyway(String... locations) {
            return flyway(List.of(locations));
        }

        /** Flyway locations ({@code classpath:…}, {@code filesystem:…}; {@code classpath:} when there is no prefix). */
        public Builder flyway(List<String> locations) {
            this.flywayLocations = List.copyOf(locations);
            return this;
        }

        /** Flyway placeholders; they change the template's content and so its fingerprint. */
        public Builder flywayPlaceholders(Map<String, String> placeholders) {
            this.flywayPlaceholders = Map.copyOf(placeholders);
            return this;
        }

        /** A Liquibase changelog: XML, YAML, JSON or formatted SQL, {@code classpath:} when there is no prefix. */
        public Builder liquibase(String changelog) {
            this.liquibaseChangelog = Objects.requireNonNull(changelog, "changelog");
            return this;
        }

        /** A Liquibase contexts expression ({@code test}, {@code !prod}); empty for none. */
        public Builder liquibaseContexts(String contexts) {
            this.liquibaseContexts = Objects.requireNonNull(contexts, "contexts");
            return this;
        }

        /** A Liquibase labels expression; empty for none. */
        public Builder liquibaseLabels(String labels) {
            this.liquibaseLabels = Objects.requireNonNull(labels, "labels");
            return this;
        }

        /** Liquibase changelog parameters ({@code ${name}} in changelogs). */
        public Builder liquibaseParameters(Map<String, String> parameters) {
            this.liquibaseParameters = Map.copyOf(parameters);
            return this;
        }

        /** SQL scripts: files, or folders whose {@code .sql} files run in name order; run in the order given. */
        public Builder scripts(String... locations) {
            return scripts(List.of(locations));
        }

        /** SQL scripts: files, or folders whose {@code .sql} files run in name order; run in the order given. */
        public Builder scripts(List<String> locations) {
            this.scripts = List.copyOf(locations);
            return this;
        }

        /** See {@link TemplateSpec#keepOwnersAndPrivileges()}. */
        public Builder keepOwnersAndPrivileges(boolean keep) {
            this.keepOwnersAndPrivileges = keep;
            return this;
        }

        /** Java code run last against the template database. */
        public Builder initializer(Class<? extends TemplateInitializer> initializer) {
            return initializer(initializer.getName());
        }

        /** Java code run last against the template database, by class name (loaded by the pool's class loader). */
        public Builder initializer(String className) {
            this.initializer = Objects.requireNonNull(className, "className");
            return this;
        }

        /** Fixture scripts applied on top of the finished template, making a child template. */
        public Builder fixtures(String... locations) {
            return fixtures(List.of(locations));
        }

        /** Fixture scripts applied on top of the finished template, making a child template. */
        public Builder fixtures(List<String> locations) {
            this.fixtures = List.copyOf(locations);
            return this;
        }

        /** Records where the value of a configuration key came from, for messages. */
        public Builder origin(String key, String origin) {
            origins.put(key, Objects.requireNonNull(origin, "origin"));
            return this;
        }

        /**
         * The spec.
         *
         * @throws InvalidConfigurationException when both Flyway and Liquibase are named
         */
        public TemplateSpec build() {
            if (!flywayLocations.isEmpty() && liquibaseChangelog != null) {
                throw new InvalidConfigurationException("A template is built by Flyway or by Liquibase, not both: '"
                        + ConfigKeys.FLYWAY_LOCATIONS + "' = " + String.join(",", flywayLocations) + " (from "
                        + origins.getOrDefault(ConfigKeys.FLYWAY_LOCATIONS, "the caller") + ") and '"
                        + ConfigKeys.LIQUIBASE_CHANGELOG + "' = " + liquibaseChangelog + " (from "
                        + origins.getOrDefault(ConfigKeys.LIQUIBASE_CHANGELOG, "the caller")
                        + "). Remove one of them.");
            }
            return new TemplateSpec(this);
        }
    }
}
