package org.isolatedpg.spring;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.isolatedpg.core.ConfigSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ClassUtils;

/**
 * Puts the database routing into an application context before it refreshes, so that it is there in slices
 * ({@code @DataJpaTest}, {@code @JdbcTest}, ...) as in full contexts, and Boot's own {@code DataSource} backs off.
 *
 * <p>Part of Spring's context cache key: classes whose annotations name the same schema share one context; classes
 * with different schemas (migrations, changelog, scripts, initializer, fixtures) get a context each, since one
 * context's {@code DataSource} serves one template. The isolation is not part of it: it is per class.
 */
final class IsolatedPostgresContextCustomizer implements ContextCustomizer {

    private final List<Object> schema;

    IsolatedPostgresContextCustomizer(IsolatedPostgres annotation) {
        this.schema = List.of(
                Arrays.asList(annotation.migrations()),
                annotation.liquibase(),
                Arrays.asList(annotation.scripts()),
                annotation.initializer(),
                Arrays.asList(annotation.fixtures()));
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
        // Read before the overrides below: they keep Boot from doing what the template does already.
        ConfigSource springSettings = SpringSchemaSource.of(context.getEnvironment(), context.getClassLoader());
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "isolatedpg",
                        Map.of(
                                // Boot's test slices would swap the DataSource for an embedded one.
                                "spring.test.database.replace", "NONE",
                                // schema.sql and data.sql are in the template (SpringSchemaSource).
                                "spring.sql.init.mode", "never")));
        if (configuration.getParent() != null) {
            return; // in a context hierarchy, the root's DataSource serves every level
        }
        ContextDatabases databases = new ContextDatabases(configuration.getTestClass(), springSettings);
        BeanDefinitionRegistry registry = (BeanDefinitionRegistry) context.getBeanFactory();
        register(registry, "isolatedpgContextDatabases", ContextDatabases.class, () -> databases, false);
        register(registry, "dataSource", DataSource.class, () -> new RoutingDataSource(databases), true);
        BootInterfaces.jdbcConnectionDetails()
                .ifPresent(type -> register(
                        registry,
                        "isolatedpgJdbcConnectionDetails",
                        type,
                        () -> BootInterfaces.connectionDetails(type, databases::current),
                        true));
        BootInterfaces.flywayMigrationStrategy()
                .ifPresent(type -> register(
                        registry,
                        "isolatedpgFlywayMigrationStrategy",
                        type,
                        () -> BootInterfaces.noMigration(type),
                        true));
        register(registry, "isolatedpgLiquibaseRunOff", LiquibaseRunOff.class, LiquibaseRunOff::new, false);
        register(
                registry, "isolatedpgTaskDecorators", TaskDecorators.class, () -> new TaskDecorators(databases), false);
        if (present("org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean")
                && present("org.hibernate.context.spi.CurrentTenantIdentifierResolver")) {
            register(
                    registry,
                    "isolatedpgHibernateTenants",
                    HibernateTenants.class,
                    () -> new HibernateTenants(databases),
                    false);
        }
        if (present("org.springframework.web.client.RestClient")) {
            register(
                    registry,
                    "isolatedpgRestClientHeaders",
                    RestClientHeaders.class,
                    () -> new RestClientHeaders(databases),
                    false);
        }
        if (present("org.springframework.test.web.reactive.server.WebTestClient")
                && present("org.springframework.web.reactive.function.client.ClientRequest")) {
            register(
                    registry,
                    "isolatedpgWebTestClientHeaders",
                    WebTestClientHeaders.class,
                    () -> new WebTestClientHeaders(databases),
                    false);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void register(
            BeanDefinitionRegistry registry, String name, Class<?> type, Supplier<?> instance, boolean primary) {
        RootBeanDefinition definition = new RootBeanDefinition((Class<T>) type, (Supplier<T>) instance);
        definition.setPrimary(primary);
        if (!primary) {
            definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
        }
        registry.registerBeanDefinition(name, definition);
    }

    private static boolean present(String className) {
        return ClassUtils.isPresent(className, IsolatedPostgresContextCustomizer.class.getClassLoader());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IsolatedPostgresContextCustomizer customizer && customizer.schema.equals(schema);
    }

    @Override
    public int hashCode() {
        return schema.hashCode();
    }
}
