package org.isolatedpg.examples.spring.contexts;

import java.util.List;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Registered in {@code META-INF/spring.factories}: every test context Spring creates gets a listener that logs its
 * refresh with the configuration it was created for. A customizer is the one hook that is handed that configuration
 * (Spring's cache key) together with the context.
 */
public class ContextRecordingCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return new Recorder();
    }

    /**
     * Equal to every other recorder: it is part of each configuration's cache key, and must not tell two test classes'
     * configurations apart.
     */
    private static final class Recorder implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
            context.addApplicationListener(new RefreshListener(context, configuration));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Recorder;
        }

        @Override
        public int hashCode() {
            return Recorder.class.getName().hashCode();
        }
    }

    private record RefreshListener(ApplicationContext context, MergedContextConfiguration configuration)
            implements ApplicationListener<ContextRefreshedEvent> {

        @Override
        public void onApplicationEvent(ContextRefreshedEvent event) {
            // Only this context's own refresh, not one of a child context that publishes to its parent.
            if (event.getApplicationContext() == context) {
                ContextLog.refreshed(configuration, context);
            }
        }
    }
}
