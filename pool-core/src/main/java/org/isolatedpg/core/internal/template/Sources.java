package org.isolatedpg.core.internal.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.internal.flyway.FlywaySource;
import org.isolatedpg.core.internal.initializer.InitializerSource;
import org.isolatedpg.core.internal.liquibase.LiquibaseSource;
import org.isolatedpg.core.internal.script.ScriptSource;
import org.isolatedpg.core.internal.source.Locations;
import org.isolatedpg.core.internal.source.TemplateSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a spec into its sources, in the order they build: Flyway or Liquibase, then scripts, then the initializer. An
 * automatic spec's migrations are found by convention, Spring Boot's: {@code db/migration}, else the default
 * changelog, else none.
 */
final class Sources {

    private static final Logger LOG = LoggerFactory.getLogger(Sources.class);

    static final String FLYWAY_CONVENTION = "classpath:db/migration";

    /** Spring Boot's default changelog, in the order Boot's documentation lists the formats. */
    static final List<String> LIQUIBASE_CONVENTION = List.of(
            "classpath:db/changelog/db.changelog-master.yaml",
            "classpath:db/changelog/db.changelog-master.yml",
            "classpath:db/changelog/db.changelog-master.xml",
            "classpath:db/changelog/db.changelog-master.json",
            "classpath:db/changelog/db.changelog-master.sql");

    private Sources() {}

    /** The sources of the spec's template, without its fixtures. */
    static List<TemplateSource> of(TemplateSpec spec, ClassLoader loader) {
        if (spec.isAutomatic()) {
            return byConvention(spec, loader);
        }
        List<TemplateSource> sources = new ArrayList<>();
        if (spec.flywayLocations().isEmpty() && spec.liquibaseChangelog().isEmpty()) {
            conventional(loader)
                    .ifPresent(location -> LOG.info(
                            "isolatedpg - {} is on the classpath but not used: a class that names scripts or an"
                                    + " initializer runs only what it names. To run the migrations first, name them"
                                    + " too (migrations = \"{}\", or liquibase = \"…\").",
                            location,
                            location.substring(Locations.CLASSPATH.length())));
        }
        if (!spec.flywayLocations().isEmpty()) {
            sources.add(flyway(spec.flywayLocations(), spec, spec.origin(ConfigKeys.FLYWAY_LOCATIONS)));
        }
        spec.liquibaseChangelog()
                .ifPresent(changelog ->
                        sources.add(liquibase(changelog, spec, spec.origin(ConfigKeys.LIQUIBASE_CHANGELOG))));
        if (!spec.scripts().isEmpty()) {
            sources.add(scripts(ConfigKeys.SCRIPTS, spec.scripts(), spec));
        }
        spec.initializer()
                .ifPresent(initializer ->
                        sources.add(new InitializerSource(initializer, spec.origin(ConfigKeys.INITIALIZER))));
        return List.copyOf(sources);
    }

    /** The source that makes the spec's child template out of its base, when it has fixtures. */
    static TemplateSource fixtures(TemplateSpec spec) {
        return scripts(ConfigKeys.FIXTURES, spec.fixtures(), spec);
    }

    /**
     * Spring Boot's order: Flyway's location, else Liquibase's changelog; but, as Boot does, a tool that is not on the
     * classpath is passed over for one that is (a jar may bring a {@code db/migration} of its own).
     */
    private static List<TemplateSource> byConvention(TemplateSpec spec, ClassLoader loader) {
        boolean flyway = Locations.exists(FLYWAY_CONVENTION, loader);
        Optional<String> changelog = defaultChangelog(loader);
        if (flyway
                && (changelog.isEmpty()
                        || OptionalLibrary.FLYWAY.isPresent()
                        || !OptionalLibrary.LIQUIBASE.isPresent())) {
            return List.of(flyway(List.of(FLYWAY_CONVENTION), spec, "the default: " + FLYWAY_CONVENTION + " exists"));
        }
        if (changelog.isPresent()) {
            return List.of(liquibase(changelog.get(), spec, "the default: " + changelog.get() + " exists"));
        }
        LOG.info(
                "isolatedpg - no schema source named and neither {} nor {} found: each test gets an empty database",
                FLYWAY_CONVENTION,
                String.join(", ", LIQUIBASE_CONVENTION));
        return List.of();
    }

    /** Where the conventional migrations are, if anywhere. */
    private static Optional<String> conventional(ClassLoader loader) {
        return Locations.exists(FLYWAY_CONVENTION, loader) ? Optional.of(FLYWAY_CONVENTION) : defaultChangelog(loader);
    }

    private static Optional<String> defaultChangelog(ClassLoader loader) {
        return LIQUIBASE_CONVENTION.stream()
                .filter(changelog -> Locations.exists(changelog, loader))
                .findFirst();
    }

    private static TemplateSource flyway(List<String> locations, TemplateSpec spec, String origin) {
        OptionalLibrary.FLYWAY.require(origin);
        return new FlywaySource(locations, spec.flywayPlaceholders(), origin);
    }

    private static TemplateSource liquibase(String changelog, TemplateSpec spec, String origin) {
        OptionalLibrary.LIQUIBASE.require(origin);
        return new LiquibaseSource(
                Locations.normalize(changelog),
                spec.liquibaseContexts(),
                spec.liquibaseLabels(),
                spec.liquibaseParameters(),
                origin);
    }

    private static TemplateSource scripts(String key, List<String> locations, TemplateSpec spec) {
        return new ScriptSource(
                key,
                locations.stream().map(Locations::normalize).toList(),
                spec.keepOwnersAndPrivileges(),
                spec.origin(key));
    }
}
