package org.isolatedpg.examples.spring.reports;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sales figures, read with plain SQL from the view {@code product_sales}: no entities involved. */
@Repository
public class SalesReport {

    private final JdbcClient jdbc;

    public SalesReport(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The products that brought in most, best first; ties by SKU. */
    public List<ProductSales> topSellers(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("The limit must be positive, got " + limit);
        }
        return jdbc.sql("""
                        SELECT sku, name, units, revenue FROM product_sales
                        WHERE units > 0
                        ORDER BY revenue DESC, sku
                        LIMIT :limit""").param("limit", limit).query(ProductSales.class).list();
    }

    public int unitsSold(String sku) {
        return jdbc.sql("SELECT units FROM product_sales WHERE sku = ?")
                .param(sku)
                .query(Integer.class)
                .optional()
                .orElse(0);
    }
}
