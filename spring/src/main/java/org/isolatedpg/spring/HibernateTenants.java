package org.isolatedpg.spring;

import org.hibernate.context.spi.CurrentTenantIdentifierResolver;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * Makes each test a Hibernate tenant of the context's one {@code EntityManagerFactory}.
 *
 * <p>Hibernate's pooled sequence optimizer keeps blocks of ids in the factory, per tenant. With one tenant for all
 * tests, a block fetched from one test's database would be spent in another's, whose own sequence starts afresh and
 * soon hands out the same ids: duplicate keys. As tenants, each test's ids come from its own database's sequence, and
 * its second-level cache entries are its own. A resolver the application sets itself is left alone.
 */
final class HibernateTenants implements BeanPostProcessor {

    static final String RESOLVER = "hibernate.tenant_identifier_resolver";

    private final ContextDatabases databases;

    HibernateTenants(ContextDatabases databases) {
        this.databases = databases;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof LocalContainerEntityManagerFactoryBean factory) {
            factory.getJpaPropertyMap().putIfAbsent(RESOLVER, new TestTenants(databases));
        }
        return bean;
    }

    /** The tenant of the calling thread: its test's database, or the context's own. */
    private record TestTenants(ContextDatabases databases) implements CurrentTenantIdentifierResolver<Object> {

        @Override
        public Object resolveCurrentTenantIdentifier() {
            return databases.currentTenant();
        }

        @Override
        public boolean validateExistingCurrentSessions() {
            return false;
        }
    }
}
