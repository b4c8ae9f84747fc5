package org.isolatedpg.benchmarks.spring;

import io.zonky.test.db.AutoConfigureEmbeddedDatabase;
import io.zonky.test.db.AutoConfigureEmbeddedDatabase.DatabaseProvider;
import io.zonky.test.db.AutoConfigureEmbeddedDatabase.RefreshMode;
import org.isolatedpg.examples.spring.ShopApplication;
import org.springframework.boot.test.context.SpringBootTest;

/** zonky: one context whose embedded database is replaced by a fresh copy of the migrated one after each test. */
// zonky deprecated its embedded provider in favour of Docker, which this benchmark cannot assume.
@SuppressWarnings("deprecation")
@SpringBootTest(classes = ShopApplication.class)
@AutoConfigureEmbeddedDatabase(provider = DatabaseProvider.ZONKY, refresh = RefreshMode.AFTER_EACH_TEST_METHOD)
public class ZonkyRefreshShopTests extends ShopWorkload {}
