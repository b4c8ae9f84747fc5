package org.isolatedpg.core.internal.template;

import java.util.Optional;
import org.isolatedpg.core.InvalidConfigurationException;

/**
 * A library a template source needs and users bring themselves (pool-core depends on it optionally): Flyway for
 * migrations, Liquibase for changelogs. Missing, it is a clear error naming the artifacts to add, not a
 * {@code NoClassDefFoundError} from deep inside a build.
 */
enum OptionalLibrary {
    FLYWAY(
            "Flyway",
            "org.flywaydb:flyway-core and org.flywaydb:flyway-database-postgresql",
            "org.flywaydb.core.Flyway",
            "org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension"),
    LIQUIBASE("Liquibase", "org.liquibase:liquibase-core (4.x)", "liquibase.Scope", "liquibase.command.CommandScope");

    private final String name;
    private final String artifacts;
    private final String[] classes;

    OptionalLibrary(String name, String artifacts, String... classes) {
        this.name = name;
        this.artifacts = artifacts;
        this.classes = classes;
    }

    /** Whether the library is on the class loader that loaded isolated-postgres. */
    boolean isPresent() {
        return missing(classes).isEmpty();
    }

    /**
     * Checks the library is there, on the class loader that loaded isolated-postgres (the one its sources link
     * against).
     *
     * @param origin where the source that needs it was named, for the message
     */
    void require(String origin) {
        require(name, artifacts, origin, classes);
    }

    static void require(String library, String artifacts, String origin, String... classes) {
        missing(classes).ifPresent(type -> {
            throw new InvalidConfigurationException("The template needs " + library + " (from " + origin
                    + "), which is not on the test classpath: " + type + " is missing. Add the test dependency "
                    + artifacts + ".");
        });
    }

    private static Optional<String> missing(String... classes) {
        for (String type : classes) {
            try {
                Class.forName(type, false, OptionalLibrary.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
