package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.isolatedpg.examples.spring.catalogue.Product;
import org.isolatedpg.examples.spring.catalogue.ProductRepository;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.examples.spring.orders.OrderItem;
import org.isolatedpg.examples.spring.orders.OrderRepository;
import org.isolatedpg.examples.spring.orders.OrderService;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Many tests writing at once through one application context, and each finds exactly its own rows: the repetitions run
 * concurrently with each other and with the rest of the suite, and each commits.
 */
@SpringBootTest
@IsolatedPostgres
class EachTestOwnsItsRowsTests {

    @Autowired
    Customers customers;

    @Autowired
    CustomerRepository customerRepository;

    @Autowired
    OrderService orders;

    @Autowired
    OrderRepository orderRepository;

    @Autowired
    ProductRepository products;

    @RepeatedTest(8)
    void theCustomerTableHoldsExactlyThisTestsCustomers(RepetitionInfo repetition) {
        List<String> emails = IntStream.rangeClosed(1, 3 * repetition.getCurrentRepetition())
                .mapToObj(i -> "customer-" + repetition.getCurrentRepetition() + "-" + i + "@example.org")
                .toList();

        emails.forEach(email -> customers.register("Customer " + email, email));

        assertThat(customerRepository.findAll())
                .extracting(Customer::getEmail)
                .containsExactlyInAnyOrderElementsOf(emails);
    }

    @RepeatedTest(8)
    void theStockMovesOnlyWithThisTestsOrders(RepetitionInfo repetition) {
        int quantity = repetition.getCurrentRepetition();
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");

        orders.place(ada.getId(), List.of(new OrderItem("KB-101", quantity)));

        assertThat(products.findBySku("KB-101"))
                .get()
                .extracting(Product::getStock)
                .isEqualTo(25 - quantity);
        assertThat(orderRepository.findAll())
                .singleElement()
                .satisfies(order -> assertThat(order.getCustomer().getId()).isEqualTo(ada.getId()));
    }
}
