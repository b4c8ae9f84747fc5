package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.junit.IsolatedPostgres;
import org.isolatedpg.junit.Isolation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Per-class isolation: the class's tests share one database, seeded once in {@code @BeforeAll} through the application's
 * own service, and still behind the context every {@code @SpringBootTest} class shares. The tests only read, so they
 * may run at once.
 */
@SpringBootTest
@IsolatedPostgres(isolation = Isolation.PER_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedCustomerBaseTests {

    @Autowired
    Customers customers;

    @Autowired
    CustomerRepository customerRepository;

    @BeforeAll
    void registerTheCustomerBaseOnce() {
        customers.register("Ada Lovelace", "ada@example.org");
        customers.register("Grace Hopper", "grace@example.org");
        customers.register("Barbara Liskov", "barbara@example.org");
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
