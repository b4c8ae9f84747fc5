package org.isolatedpg.spring;

import java.util.List;
import org.isolatedpg.junit.IsolatedPostgres;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Customizes the application context of every test class that carries (or inherits, or is nested in a class with)
 * {@code @IsolatedPostgres}; other test classes' contexts are left alone.
 */
final class IsolatedPostgresContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        IsolatedPostgres annotation =
                TestContextAnnotationUtils.findMergedAnnotation(testClass, IsolatedPostgres.class);
        return annotation == null ? null : new IsolatedPostgresContextCustomizer(annotation);
    }
}
