package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.isolatedpg.junit.IsolatedPostgres;
import org.isolatedpg.junit.Isolation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Per-class isolation, seeded in plain SQL: the {@code DataSource} parameter of {@code @BeforeAll} is the class's
 * database, the one the application's beans use in the class's tests.
 */
@SpringBootTest
@IsolatedPostgres(isolation = Isolation.PER_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedCustomerBaseByJdbcTests {

    @Autowired
    CustomerRepository customerRepository;

    @BeforeAll
    void registerTheCustomerBaseOnce(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("""
                    INSERT INTO customer (id, name, email, created_at) VALUES
                        (nextval('customer_id_seq'), 'Ada Lovelace', 'ada@example.org', now()),
                        (nextval('customer_id_seq'), 'Grace Hopper', 'grace@example.org', now()),
                        (nextval('customer_id_seq'), 'Barbara Liskov', 'barbara@example.org', now())""");
        }
    }

    @Test
    void everyTestSeesTheCustomersRegisteredOnce() {
        assertThat(customerRepository.count()).isEqualTo(3);
    }

    @Test
    void findsACustomerByAddressWhateverItsCase() {
        assertThat(customerRepository.findByEmailIgnoreCase("GRACE@example.org"))
                .get()
                .extracting(Customer::getName)
                .isEqualTo("Grace Hopper");
    }

    @Test
    void listsTheCustomersByName() {
        assertThat(customerRepository.findAll())
                .extracting(Customer::getName)
                .containsExactlyInAnyOrderElementsOf(List.of("Ada Lovelace", "Barbara Liskov", "Grace Hopper"));
    }
}
