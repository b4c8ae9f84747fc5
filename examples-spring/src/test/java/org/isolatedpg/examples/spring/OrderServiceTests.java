package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.isolatedpg.examples.spring.catalogue.OutOfStockException;
import org.isolatedpg.examples.spring.catalogue.Product;
import org.isolatedpg.examples.spring.catalogue.ProductRepository;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.examples.spring.customers.DuplicateEmailException;
import org.isolatedpg.examples.spring.orders.OrderAlreadyCancelledException;
import org.isolatedpg.examples.spring.orders.OrderItem;
import org.isolatedpg.examples.spring.orders.OrderRepository;
import org.isolatedpg.examples.spring.orders.OrderService;
import org.isolatedpg.examples.spring.orders.OrderStatus;
import org.isolatedpg.examples.spring.orders.PurchaseOrder;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shop's rules, through its services, on the application context every {@code @SpringBootTest} class shares. Each
 * test commits what it does, on a database of its own: every one registers the same customer, and none sees another's
 * orders or stock.
 */
@SpringBootTest
@IsolatedPostgres
class OrderServiceTests {

    @Autowired
    Customers customers;

    @Autowired
    OrderService orders;

    @Autowired
    OrderRepository orderRepository;

    @Autowired
    ProductRepository products;

    Customer ada;

    @BeforeEach
    void registerACustomer() {
        ada = customers.register("Ada Lovelace", "ada@example.org");
    }

    @Test
    void placingAnOrderTakesItsProductsOutOfStock() {
        orders.place(ada.getId(), List.of(new OrderItem("KB-101", 2), new OrderItem("CB-404", 3)));

        assertThat(stockOf("KB-101")).isEqualTo(25 - 2);
        assertThat(stockOf("CB-404")).isEqualTo(200 - 3);
    }

    @Test
    void anOrderKeepsThePricesItWasPlacedAt() {
        PurchaseOrder order =
                orders.place(ada.getId(), List.of(new OrderItem("KB-101", 2), new OrderItem("CB-404", 3)));

        PurchaseOrder stored = orders.find(order.getId());
        assertThat(stored.getTotal()).isEqualByComparingTo("207.97"); // 2 × 89.00 + 3 × 9.99
        assertThat(stored.getLines())
                .extracting(
                        line -> line.getProduct().getSku(),
                        line -> line.getUnitPrice().toPlainString())
                .containsExactly(tuple("KB-101", "89.00"), tuple("CB-404", "9.99"));
    }

    @Test
    void anOrderThatCannotBeServedWhollyTakesNothing() {
        assertThatThrownBy(() ->
                        orders.place(ada.getId(), List.of(new OrderItem("MN-303", 1), new OrderItem("HS-505", 4))))
                .isInstanceOf(OutOfStockException.class)
                .hasMessage("Only 3 of HS-505 in stock, 4 wanted");

        assertThat(stockOf("MN-303")).isEqualTo(10);
        assertThat(orderRepository.count()).isZero();
    }

    @Test
    void cancellingAnOrderPutsItsProductsBack() {
        PurchaseOrder order = orders.place(ada.getId(), List.of(new OrderItem("HS-505", 3)));
        assertThat(stockOf("HS-505")).isZero();

        orders.cancel(order.getId());

        assertThat(stockOf("HS-505")).isEqualTo(3);
        assertThat(orders.find(order.getId()).getStatus()).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void anOrderIsCancelledOnlyOnce() {
        PurchaseOrder order = orders.place(ada.getId(), List.of(new OrderItem("MS-202", 1)));
        orders.cancel(order.getId());

        assertThatThrownBy(() -> orders.cancel(order.getId()))
                .isInstanceOf(OrderAlreadyCancelledException.class)
                .hasMessage("Order " + order.getId() + " is already cancelled");
        assertThat(stockOf("MS-202")).isEqualTo(40);
    }

    @Test
    void aCustomersOrdersComeNewestFirst() {
        PurchaseOrder first = orders.place(ada.getId(), List.of(new OrderItem("MS-202", 1)));
        PurchaseOrder second = orders.place(ada.getId(), List.of(new OrderItem("CB-404", 1)));

        assertThat(orders.ordersOf(ada.getId()))
                .extracting(PurchaseOrder::getId)
                .containsExactly(second.getId(), first.getId());
    }

    @Test
    void anEmailAddressBelongsToOneCustomerWhateverItsCase() {
        assertThatThrownBy(() -> customers.register("Ada King", "ADA@example.org"))
                .isInstanceOf(DuplicateEmailException.class)
                .hasMessage("A customer with e-mail address ADA@example.org is already registered");
    }

    @Test
    void anUnknownProductRefusesTheOrder() {
        assertThatThrownBy(() -> orders.place(ada.getId(), List.of(new OrderItem("XX-000", 1))))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("Product XX-000 does not exist");
    }

    private int stockOf(String sku) {
        return products.findBySku(sku).map(Product::getStock).orElseThrow();
    }
}
