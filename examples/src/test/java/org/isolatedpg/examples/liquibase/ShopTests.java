package org.isolatedpg.examples.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.isolatedpg.examples.Sql.column;
import static org.isolatedpg.examples.Sql.number;
import static org.isolatedpg.examples.Sql.update;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Test;

/**
 * A shop whose schema is a Liquibase changelog: a YAML master including YAML, formatted-SQL and CSV files, with
 * changesets for the "test" and "prod" contexts. The examples' {@code junit-platform.properties} sets
 * {@code isolatedpg.liquibase.contexts=test}.
 */
// tag::liquibase[]
@IsolatedPostgres(liquibase = "db/changelog-shop/master.yaml")
class ShopTests {

    @Test
    void everyTestStartsWithTheTestProducts(DataSource dataSource) throws SQLException {
        assertThat(column(dataSource, "SELECT sku FROM product WHERE NOT discontinued ORDER BY sku"))
                .containsExactly("MUG-01", "TEE-M", "TOTE-01");
    }

    @Test
    void aPurchaseIsTotalledByTheView(DataSource dataSource) throws SQLException {
        long purchase =
                number(dataSource, "INSERT INTO purchase (customer_email) VALUES ('ada@example.org') RETURNING id");
        update(
                dataSource,
                "INSERT INTO purchase_line (purchase_id, product_id, quantity)"
                        + " SELECT ?, id, 2 FROM product WHERE sku IN ('MUG-01', 'TOTE-01')",
                purchase);

        assertThat(number(dataSource, "SELECT total_cents FROM purchase_total WHERE purchase_id = ?", purchase))
                .isEqualTo(2 * 1200 + 2 * 900);
    }
}
// end::liquibase[]
