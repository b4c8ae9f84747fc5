package org.isolatedpg.core.internal.source;

import java.util.List;
import java.util.Optional;

/**
 * One kind of what a template is made from: Flyway migrations, a Liquibase changelog, SQL scripts, Java code. A
 * template's sources run in a fixed order into the database being built; each says what decides its effect, for the
 * fingerprint, and applies itself.
 */
public interface TemplateSource {

    /** What this source is and where it was named, for messages: {@code Flyway locations classpath:db/migration (from …)}. */
    String description();

    /** What one of its steps is called in messages: {@code migration}, {@code changeset}, {@code script}. */
    default String stepNoun() {
        return "step";
    }

    /**
     * Feeds everything that decides what this source does into the template's fingerprint: names and bytes of every
     * file it reads (through {@code loader} for {@code classpath:} locations), and the settings that change its
     * effect.
     *
     * @throws org.isolatedpg.core.InvalidConfigurationException when a location holds nothing, naming it and where it
     *     was named
     */
    void fingerprint(FingerprintInputs inputs, ClassLoader loader);

    /**
     * Applies this source to the database being built.
     *
     * @return how many steps (migrations, changesets, scripts) it ran
     * @throws SourceFailedException naming the step that failed, with the cause
     */
    int apply(BuildTarget target);

    /**
     * For incremental builds: this source's steps in the order they apply, each a digest of what it does, when
     * applying it to a database that holds a prefix of them applies only the rest (Flyway's versioned migrations,
     * Liquibase's changesets). Empty when that does not hold (repeatable migrations, callbacks, {@code runAlways}).
     */
    default Optional<List<String>> appendOnlySteps(ClassLoader loader) {
        return Optional.empty();
    }

    /**
     * Whether the roles its steps create are tracked and handed over between builds ({@code RoleHandover}), which
     * makes builds of different templates run their steps one at a time. False for steps that run outside this JVM
     * for as long as their client takes (the server's client-built templates), which must not hold up other builds;
     * roles such steps create are their client's affair.
     */
    default boolean tracksRoles() {
        return true;
    }
}
