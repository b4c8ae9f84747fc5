package org.isolatedpg.benchmarks.spring;

import io.zonky.test.db.AutoConfigureEmbeddedDatabase;
import io.zonky.test.db.AutoConfigureEmbeddedDatabase.DatabaseProvider;
import org.isolatedpg.examples.spring.ShopApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.jdbc.Sql;

/**
 * One context on one shared database (zonky's embedded one, never refreshed), emptied after each test by a script that
 * truncates the tables and seeds the catalogue again: what a team keeps up by hand as the schema grows.
 */
// zonky deprecated its embedded provider in favour of Docker, which this benchmark cannot assume.
@SuppressWarnings("deprecation")
@SpringBootTest(classes = ShopApplication.class)
@AutoConfigureEmbeddedDatabase(provider = DatabaseProvider.ZONKY)
@Sql(scripts = "classpath:shop-cleanup.sql", executionPhase = Sql.ExecutionPhase.AFTER_TEST_METHOD)
public class TruncatingShopTests extends ShopWorkload {}
