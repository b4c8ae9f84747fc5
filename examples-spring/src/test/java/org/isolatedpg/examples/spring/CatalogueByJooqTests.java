package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.table;

import java.math.BigDecimal;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.IsolatedPostgres;
import org.jooq.DSLContext;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;

/** The catalogue through jOOQ, in Boot's jOOQ slice: the test's own PostgreSQL database, not an embedded H2. */
@ShopJooqTest
@IsolatedPostgres
class CatalogueByJooqTests {

    @Autowired
    DSLContext dsl;

    @RepeatedTest(3)
    void addsAProductToTheSeededCatalogue(TestDatabase database) {
        int seeded = dsl.fetchCount(table("product"));

        dsl.insertInto(table("product"))
                .columns(field("id"), field("sku"), field("name"), field("unit_price"), field("stock"))
                .values(field("nextval('product_id_seq')"), "HD-505", "Headset", new BigDecimal("59.00"), 7)
                .execute();

        assertThat(dsl.fetchCount(table("product"))).isEqualTo(seeded + 1);
        assertThat(dsl.fetchValue("select current_database()")).isEqualTo(database.name());
    }
}
