package org.isolatedpg.spring;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.task.TaskDecorator;

/**
 * Binds tasks to the submitting test's database through the application's own {@code TaskDecorator}s too. Spring
 * Boot 3.5 applies a decorator only where the context has exactly one, so with the application's own (for logging
 * context or security, say) isolated-postgres adds none of its own but wraps that one; Boot 4 applies them all.
 */
final class TaskDecorators implements BeanPostProcessor {

    private final ContextDatabases databases;

    TaskDecorators(ContextDatabases databases) {
        this.databases = databases;
    }

    /** isolated-postgres' own decorator, for contexts that have none. */
    TaskDecorator own() {
        return new TestTaskDecorator(databases);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof TaskDecorator decorator && !(bean instanceof TestTaskDecorator)) {
            return (TaskDecorator) task -> databases.decorate(decorator.decorate(task));
        }
        return bean;
    }

    /** Runs each task bound to the test that submitted it. */
    record TestTaskDecorator(ContextDatabases databases) implements TaskDecorator {
        @Override
        public Runnable decorate(Runnable task) {
            return databases.decorate(task);
        }
    }
}
