package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.annotation.Id;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The catalogue through Spring Data JDBC, in Boot's Data JDBC slice, on the test's own PostgreSQL database. */
@ShopDataJdbcTest
@IsolatedPostgres
class CatalogueByDataJdbcTests {

    /** The product table as a Spring Data JDBC aggregate reads it. */
    @Table("product")
    record ProductRow(@Id Long id, String sku, int stock) {}

    @Autowired
    JdbcAggregateTemplate aggregates;

    @Autowired
    JdbcClient jdbc;

    @RepeatedTest(3)
    void readsTheStockThisTestLeft(TestDatabase database) {
        jdbc.sql("update product set stock = 0 where sku = 'KB-101'").update();

        assertThat(aggregates.findAll(ProductRow.class))
                .filteredOn(product -> product.sku().equals("KB-101"))
                .extracting(ProductRow::stock)
                .containsExactly(0);
        assertThat(jdbc.sql("select current_database()").query(String.class).single())
                .isEqualTo(database.name());
    }
}
