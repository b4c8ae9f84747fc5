package org.isolatedpg.junit;

import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.core.PoolSettings;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.integration.TestClassRun;

/** A test class's settings and its run's registry, as published for other modules in {@code TestRuns}. */
record PublishedClassRun(Class<?> testClass, ClassSettings settings, PoolRegistry registry) implements TestClassRun {

    @Override
    public Configuration configuration(ConfigSource source) {
        return settings.with(source);
    }

    @Override
    public boolean perClass() {
        return settings.perClass();
    }

    @Override
    public TestDatabase lease(TemplateSpec spec, PoolSettings poolSettings) {
        return registry.lease(spec, poolSettings, testClass.getClassLoader());
    }

    @Override
    public boolean sameRun(TestClassRun other) {
        return other instanceof PublishedClassRun published && published.registry == registry;
    }

    @Override
    public void whenRunEnds(Runnable task) {
        registry.beforeClose(task);
    }
}
