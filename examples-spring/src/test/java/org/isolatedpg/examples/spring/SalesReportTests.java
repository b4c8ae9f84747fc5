package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import org.isolatedpg.examples.spring.reports.ProductSales;
import org.isolatedpg.examples.spring.reports.SalesReport;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.jdbc.Sql;

/**
 * Boot's JDBC slice ({@code @JdbcTest}, through {@link ShopJdbcTest}) with the one repository under test: the report's
 * SQL, and the view it reads, on the test's own database. The orders are written in SQL too, by the tests or by a
 * script that Spring's {@code @Sql} runs.
 */
@ShopJdbcTest
@Import(SalesReport.class)
@IsolatedPostgres
class SalesReportTests {

    @Autowired
    SalesReport report;

    @Autowired
    JdbcClient jdbc;

    long customer;

    @BeforeEach
    void registerACustomer() {
        customer = jdbc.sql("""
                        INSERT INTO customer (id, name, email, created_at)
                        VALUES (nextval('customer_id_seq'), 'Ada Lovelace', 'ada@example.org', now())
                        RETURNING id""").query(Long.class).single();
    }

    @Test
    void nothingSoldMeansNoTopSellers() {
        assertThat(report.topSellers(3)).isEmpty();
    }

    @Test
    void ranksProductsByRevenue() {
        order("PLACED", Map.of("CB-404", 10, "MS-202", 1)); // 99.90 and 29.50
        order("PLACED", Map.of("MN-303", 1, "CB-404", 5)); // 249.00 and 49.95

        assertThat(report.topSellers(2))
                .containsExactly(
                        new ProductSales("MN-303", "27-inch monitor", 1, new BigDecimal("249.00")),
                        new ProductSales("CB-404", "USB-C cable", 15, new BigDecimal("149.85")));
    }

    @Test
    void cancelledOrdersDoNotCount() {
        order("PLACED", Map.of("KB-101", 1));
        order("CANCELLED", Map.of("KB-101", 4));

        assertThat(report.unitsSold("KB-101")).isEqualTo(1);
    }

    @Test
    void aProductSoldOnlyInCancelledOrdersSoldNothing() {
        order("CANCELLED", Map.of("HS-505", 2));

        assertThat(report.unitsSold("HS-505")).isZero();
        assertThat(report.topSellers(5)).isEmpty();
    }

    @Test
    @Sql("/sales/grace-buys-four-mice.sql")
    void countsOrdersAnSqlScriptLoaded() {
        assertThat(report.unitsSold("MS-202")).isEqualTo(4);
        assertThat(jdbc.sql("SELECT count(*) FROM customer").query(Long.class).single())
                .isEqualTo(2); // Grace, from the script, and Ada, from registerACustomer()
    }

    @Test
    void refusesANonPositiveLimit() {
        assertThatThrownBy(() -> report.topSellers(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The limit must be positive, got 0");
    }

    /** Writes an order as SQL, at the catalogue's prices. */
    private void order(String status, Map<String, Integer> quantities) {
        long order = jdbc.sql("""
                        INSERT INTO purchase_order (id, customer_id, status, placed_at, total)
                        VALUES (nextval('purchase_order_id_seq'), ?, ?, now(), 0)
                        RETURNING id""").params(customer, status).query(Long.class).single();
        quantities.forEach(
                (sku, quantity) -> jdbc.sql("""
                        INSERT INTO order_line (id, order_id, product_id, quantity, unit_price)
                        SELECT nextval('order_line_id_seq'), ?, id, ?, unit_price FROM product WHERE sku = ?""").params(order, quantity, sku).update());
    }
}
