package org.isolatedpg.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;

/**
 * What a full application context of an {@code @IsolatedPostgres} test adds to the database routing that its
 * context customizer set up: a {@code TaskDecorator} that Boot's task executors apply, so that work a test starts on
 * them ({@code @Async}, executors) reaches its database, where the application has none of its own
 * ({@link TaskDecorators} wraps those), and the servlet filter that serves requests from the database of the test that
 * sent them.
 */
@AutoConfiguration
@ConditionalOnBean(ContextDatabases.class)
class IsolatedPostgresAutoConfiguration {

    IsolatedPostgresAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean(TaskDecorator.class)
    TaskDecorator isolatedpgTaskDecorator(TaskDecorators decorators) {
        return decorators.own();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "jakarta.servlet.Filter")
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class ServletRequests {

        @Bean
        TestDatabaseFilter isolatedpgTestDatabaseFilter(ContextDatabases databases) {
            return new TestDatabaseFilter(databases);
        }
    }
}
