package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.isolatedpg.examples.spring.catalogue.Product;
import org.isolatedpg.examples.spring.catalogue.ProductRepository;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.examples.spring.orders.OrderItem;
import org.isolatedpg.examples.spring.orders.OrderService;
import org.isolatedpg.examples.spring.orders.PurchaseOrder;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Hibernate takes ids 50 at a time from each sequence and hands them out from memory: one block taken from one test's
 * database must never be handed out in another's, where the same numbers are free too. Each test here saves well over 50
 * entities of a kind, so blocks run out and new ones are taken while other tests do the same.
 */
@SpringBootTest
@IsolatedPostgres
class SequenceIdsTests {

    @Autowired
    CustomerRepository customerRepository;

    @Autowired
    Customers customers;

    @Autowired
    ProductRepository products;

    @Autowired
    OrderService orders;

    @Autowired
    JdbcClient jdbc;

    @RepeatedTest(4)
    void savesOneHundredAndTwentyCustomersAtOnce() {
        List<Customer> saved = customerRepository.saveAll(IntStream.range(0, 120)
                .mapToObj(i -> new Customer("Customer " + i, "customer-" + i + "@example.org"))
                .toList());

        List<Long> ids = saved.stream().map(Customer::getId).toList();
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(jdbc.sql("SELECT id FROM customer").query(Long.class).list())
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @RepeatedTest(4)
    void savesSixtyProductsOneTransactionEach() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(products.save(new Product("BULK-" + i, "Bulk item " + i, BigDecimal.ONE, 10))
                    .getId());
        }

        assertThat(ids).doesNotHaveDuplicates();
        assertThat(products.count()).isEqualTo(5 + 60); // the catalogue's five, and this test's
    }

    @RepeatedTest(3)
    void placesSixtyOrdersOfTwoLinesEach() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");
        products.save(new Product("BULK-1", "Bulk item", new BigDecimal("2.50"), 1_000));

        List<PurchaseOrder> placed = IntStream.range(0, 60)
                .mapToObj(
                        i -> orders.place(ada.getId(), List.of(new OrderItem("BULK-1", 1), new OrderItem("CB-404", 1))))
                .toList();

        assertThat(placed).extracting(PurchaseOrder::getId).doesNotHaveDuplicates();
        assertThat(placed)
                .flatExtracting(PurchaseOrder::getLines)
                .extracting(line -> line.getId())
                .hasSize(120)
                .doesNotHaveDuplicates();
        assertThat(jdbc.sql("SELECT count(*) FROM order_line").query(Long.class).single())
                .isEqualTo(120);
    }
}
