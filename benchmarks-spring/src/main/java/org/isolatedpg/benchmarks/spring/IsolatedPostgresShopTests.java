package org.isolatedpg.benchmarks.spring;

import org.isolatedpg.examples.spring.ShopApplication;
import org.isolatedpg.junit.IsolatedPostgres;
import org.springframework.boot.test.context.SpringBootTest;

/** isolated-postgres-spring: one context; each test routed to a clone of its own, handed over from a warm pool. */
@SpringBootTest(classes = ShopApplication.class)
@IsolatedPostgres
public class IsolatedPostgresShopTests extends ShopWorkload {}
