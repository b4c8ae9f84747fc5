package org.isolatedpg.junit.integration;

import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;

/**
 * What {@code @IsolatedPostgres} resolved for one test class in the current JUnit run: its configuration and the
 * run's server and pools.
 */
public interface TestClassRun {

    /** The test class that carries (or inherits, or is nested in a class with) {@code @IsolatedPostgres}. */
    Class<?> testClass();

    /**
     * The class's configuration with {@code source} ranked just below the annotation, above JUnit configuration
     * parameters, the environment and defaults.
     */
    Configuration configuration(ConfigSource source);

    /** Whether the class's tests share one database ({@code Isolation.PER_CLASS}). */
    boolean perClass();

    /** A database of the spec's template from the run's pools, preparing the server and the template on first use. */
    TestDatabase lease(TemplateSpec spec, PoolSettings settings);

    /**
     * Whether this and {@code other} lease from the same run's pools. A JUnit before 5.13 closes the pools at the end
     * of each execution request; a database leased in an earlier request is then gone.
     */
    boolean sameRun(TestClassRun other);

    /** Runs {@code task} when the run ends, before its pools close: to give back what is still leased. */
    void whenRunEnds(Runnable task);
}
