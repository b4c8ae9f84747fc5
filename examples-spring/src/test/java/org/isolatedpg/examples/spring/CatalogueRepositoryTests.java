package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.IntStream;
import org.isolatedpg.examples.spring.catalogue.Product;
import org.isolatedpg.examples.spring.catalogue.ProductRepository;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Boot's JPA slice ({@code @DataJpaTest}, through {@link ShopJpaTest}): repositories and entities on the test's own
 * PostgreSQL database, not an in-memory stand-in, each test in a transaction rolled back at its end.
 */
@ShopJpaTest
@IsolatedPostgres
class CatalogueRepositoryTests {

    @Autowired
    ProductRepository products;

    @Autowired
    CustomerRepository customers;

    @Test
    void findsTheCatalogueTheMigrationsSeeded() {
        assertThat(products.findAllByOrderBySkuAsc())
                .extracting(Product::getSku)
                .containsExactly("CB-404", "HS-505", "KB-101", "MN-303", "MS-202");
        assertThat(products.findBySku("MN-303"))
                .get()
                .extracting(Product::getUnitPrice)
                .isEqualTo(new BigDecimal("249.00"));
    }

    @Test
    void listsTheProductsRunningLow() {
        assertThat(products.findByStockLessThanOrderByStockAsc(11))
                .extracting(Product::getSku)
                .containsExactly("HS-505", "MN-303");
    }

    @Test
    void savesSeventyProductsWithIdsFromSeveralBlocks() {
        List<Product> saved = products.saveAllAndFlush(IntStream.range(0, 70)
                .mapToObj(i -> new Product("NEW-" + i, "New product " + i, new BigDecimal("1.00"), i))
                .toList());

        assertThat(saved).extracting(Product::getId).doesNotHaveDuplicates();
        assertThat(products.count()).isEqualTo(5 + 70);
    }

    @Test
    void postgresqlRefusesASecondCustomerWithTheSameAddressInAnotherCase() {
        customers.saveAndFlush(new Customer("Ada Lovelace", "ada@example.org"));

        // The unique index is on lower(email): the database itself enforces what Customers checks first.
        assertThatThrownBy(() -> customers.saveAndFlush(new Customer("Ada King", "ADA@EXAMPLE.ORG")))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("customer_email_key");
    }

    @Test
    void aProductCannotGoBelowZeroStockInTheDatabaseEither() {
        products.saveAndFlush(new Product("NEG-1", "Broken", BigDecimal.ONE, 0));

        assertThatThrownBy(() -> products.saveAndFlush(new Product("NEG-2", "Broken", BigDecimal.ONE, -1)))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("product_stock_check");
    }
}
