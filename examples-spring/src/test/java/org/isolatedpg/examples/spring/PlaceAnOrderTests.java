package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.examples.spring.orders.OrderItem;
import org.isolatedpg.examples.spring.orders.OrderService;
import org.isolatedpg.examples.spring.orders.PurchaseOrder;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The README's Spring Boot example: every repetition registers the same customer, each in a database of its own. */
// tag::spring[]
@SpringBootTest
@IsolatedPostgres
class PlaceAnOrderTests {

    @Autowired
    Customers customers;

    @Autowired
    OrderService orders;

    @RepeatedTest(3)
    void placesAnOrder() { // runs on a clone of its own, in parallel with the others
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");

        PurchaseOrder order = orders.place(ada.getId(), List.of(new OrderItem("KB-101", 2)));

        assertThat(orders.ordersOf(ada.getId()))
                .extracting(PurchaseOrder::getId)
                .containsExactly(order.getId());
    }
}
// end::spring[]
