package org.isolatedpg.benchmarks.spring;

import io.zonky.test.db.AutoConfigureEmbeddedDatabase;
import io.zonky.test.db.AutoConfigureEmbeddedDatabase.DatabaseProvider;
import org.isolatedpg.examples.spring.ShopApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/** A new application context after each test, and with it a new embedded database (zonky's, one per context). */
// zonky deprecated its embedded provider in favour of Docker, which this benchmark cannot assume.
@SuppressWarnings("deprecation")
@SpringBootTest(classes = ShopApplication.class)
@AutoConfigureEmbeddedDatabase(provider = DatabaseProvider.ZONKY)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
public class DirtiesContextShopTests extends ShopWorkload {}
