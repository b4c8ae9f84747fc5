package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.isolatedpg.examples.spring.catalogue.Product;
import org.isolatedpg.examples.spring.catalogue.ProductRepository;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.examples.spring.orders.OrderItem;
import org.isolatedpg.examples.spring.orders.OrderService;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.transaction.AfterTransaction;
import org.springframework.test.context.transaction.TestTransaction;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code @Transactional} tests, Spring's usual way: each runs in a transaction rolled back at its end, on its own
 * database. {@link #onlyWhatATestCommittedOutlivesItsTransaction()} checks, after each rollback, that exactly what the
 * test chose to commit is left.
 */
@SpringBootTest
@IsolatedPostgres
@Transactional
class TransactionalOrderTests {

    @Autowired
    Customers customers;

    @Autowired
    CustomerRepository customerRepository;

    @Autowired
    OrderService orders;

    @Autowired
    ProductRepository products;

    /** How many customers this test committed; per test, as JUnit makes an instance per test. */
    int committedCustomers;

    @Test
    void theServiceJoinsTheTestsTransaction() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");

        orders.place(ada.getId(), List.of(new OrderItem("HS-505", 3)));

        assertThat(TestTransaction.isActive()).isTrue();
        assertThat(products.findBySku("HS-505"))
                .get()
                .extracting(Product::getStock)
                .isEqualTo(0);
    }

    @Test
    void aTestCanEndItsTransactionEarly() {
        customers.register("Ada Lovelace", "ada@example.org");
        assertThat(customerRepository.count()).isOne();

        TestTransaction.end(); // rolled back, as flagged by default

        assertThat(TestTransaction.isActive()).isFalse();
        assertThat(customerRepository.count()).isZero();
    }

    @Test
    void whatATestCommitsIsOnItsOwnDatabaseOnly(DataSource dataSource) throws SQLException {
        customers.register("Ada Lovelace", "ada@example.org");
        TestTransaction.flagForCommit();
        TestTransaction.end();
        committedCustomers = 1;

        assertThat(customerCount(dataSource)).isOne();
    }

    @Test
    void takingTheWholeStockIsUndoneWithTheTest() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");
        orders.place(ada.getId(), List.of(new OrderItem("MN-303", 10)));

        assertThat(products.findBySku("MN-303"))
                .get()
                .extracting(Product::getStock)
                .isEqualTo(0);
    }

    @AfterTransaction
    void onlyWhatATestCommittedOutlivesItsTransaction(DataSource dataSource) throws SQLException {
        assertThat(customerCount(dataSource)).isEqualTo(committedCustomers);
    }

    private static long customerCount(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM customer")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
