package org.isolatedpg.examples.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.isolatedpg.examples.Sql.column;
import static org.isolatedpg.examples.Sql.number;
import static org.isolatedpg.examples.Sql.update;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Test;

/** What Liquibase left in the template, seen from a test: which changesets ran, and the constraints they made. */
@IsolatedPostgres(liquibase = "db/changelog-shop/master.yaml")
class ShopChangelogTests {

    @Test
    void theTestContextsChangesetsRanAndTheProductionOnesDidNot(DataSource dataSource) throws SQLException {
        assertThat(column(dataSource, "SELECT id FROM databasechangelog ORDER BY orderexecuted"))
                .containsExactly(
                        "create-product",
                        "add-product-discontinued",
                        "create-purchase",
                        "create-purchase-total",
                        "test-products");
    }

    @Test
    void changesetsFromEveryFormatAreThere(DataSource dataSource) throws SQLException {
        assertThat(column(dataSource, "SELECT DISTINCT filename FROM databasechangelog ORDER BY 1"))
                .containsExactly(
                        "db/changelog-shop/changes/001-catalogue.yaml",
                        "db/changelog-shop/changes/002-purchases.sql",
                        "db/changelog-shop/changes/004-test-products.yaml");
    }

    @Test
    void productsMustHaveAPrice(DataSource dataSource) {
        assertThatExceptionOfType(SQLException.class)
                .isThrownBy(() -> update(
                        dataSource, "INSERT INTO product (sku, name, price_cents) VALUES ('FREE-01', 'Sticker', 0)"))
                .withMessageContaining("product_price_positive");
    }

    @Test
    void aPurchaseLineNeedsAKnownProduct(DataSource dataSource) throws SQLException {
        long purchase =
                number(dataSource, "INSERT INTO purchase (customer_email) VALUES ('ada@example.org') RETURNING id");

        assertThatExceptionOfType(SQLException.class)
                .isThrownBy(() -> update(
                        dataSource,
                        "INSERT INTO purchase_line (purchase_id, product_id, quantity) VALUES (?, 42, 1)",
                        purchase))
                .satisfies(failure -> assertThat(failure.getSQLState()).isEqualTo("23503"));
    }
}
