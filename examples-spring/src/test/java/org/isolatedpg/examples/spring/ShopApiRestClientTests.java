package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.isolatedpg.examples.spring.ShopJson.Item;
import org.isolatedpg.examples.spring.ShopJson.NewOrder;
import org.isolatedpg.examples.spring.ShopJson.Order;
import org.isolatedpg.examples.spring.ShopJson.Problem;
import org.isolatedpg.examples.spring.catalogue.Product;
import org.isolatedpg.examples.spring.catalogue.ProductRepository;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.examples.spring.orders.OrderConfirmations;
import org.isolatedpg.examples.spring.orders.OrderRepository;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * The API over real HTTP, served on a random port by the shared context's embedded server. The requests come from a
 * {@link RestClient} built from the context's {@code RestClient.Builder}, which marks each with the test that sent it:
 * the server's threads then work on that test's database, so the test sees what its requests did, and the reverse.
 */
@ShopServerTest
@IsolatedPostgres
class ShopApiRestClientTests {

    @LocalServerPort
    int port;

    @Autowired
    RestClient.Builder restClientBuilder;

    @Autowired
    Customers customers;

    @Autowired
    CustomerRepository customerRepository;

    @Autowired
    OrderRepository orderRepository;

    @Autowired
    ProductRepository products;

    @Autowired
    OrderConfirmations confirmations;

    RestClient http;

    @BeforeEach
    void connect() {
        http = restClientBuilder.baseUrl("http://localhost:" + port).build();
    }

    @Test
    void anOrderPlacedOverHttpIsInThisTestsDatabase() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");

        Order order = http.post()
                .uri("/orders")
                .body(new NewOrder(ada.getId(), List.of(new Item("KB-101", 3))))
                .retrieve()
                .body(Order.class);

        assertThat(order.total()).isEqualByComparingTo("267.00");
        assertThat(orderRepository.findById(order.id())).isPresent();
        assertThat(products.findBySku("KB-101"))
                .get()
                .extracting(Product::getStock)
                .isEqualTo(22);
    }

    @Test
    void theServerSeesWhatThisTestWrote() {
        Customer grace = customerRepository.save(new Customer("Grace Hopper", "grace@example.org"));

        ShopJson.Customer served =
                http.get().uri("/customers/{id}", grace.getId()).retrieve().body(ShopJson.Customer.class);

        assertThat(served).isEqualTo(new ShopJson.Customer(grace.getId(), "Grace Hopper", "grace@example.org"));
    }

    @Test
    void refusalsComeBackAsProblemDetails() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");

        ResponseEntity<Problem> refused = http.post()
                .uri("/orders")
                .body(new NewOrder(ada.getId(), List.of(new Item("HS-505", 4))))
                .retrieve()
                .onStatus(HttpStatusCode::isError, (request, response) -> {})
                .toEntity(Problem.class);

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(refused.getBody().detail()).isEqualTo("Only 3 of HS-505 in stock, 4 wanted");
    }

    @Test
    void aConfirmationRequestedOverHttpIsIssuedInTheBackgroundIntoThisTestsDatabase() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");
        Order order = http.post()
                .uri("/orders")
                .body(new NewOrder(ada.getId(), List.of(new Item("CB-404", 2))))
                .retrieve()
                .body(Order.class);

        ShopJson.Confirmation confirmation = http.post()
                .uri("/orders/{id}/confirmation", order.id())
                .retrieve()
                .body(ShopJson.Confirmation.class);

        assertThat(confirmation.reference()).isEqualTo("SHOP-%08d".formatted(order.id()));
        assertThat(confirmations.find(order.id())).isPresent();
    }

    @Test
    void aCustomersOrdersOverHttpAreThisTestsOnly() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");
        for (String sku : List.of("MS-202", "CB-404", "KB-101")) {
            http.post()
                    .uri("/orders")
                    .body(new NewOrder(ada.getId(), List.of(new Item(sku, 1))))
                    .retrieve()
                    .toBodilessEntity();
        }

        Order[] served =
                http.get().uri("/customers/{id}/orders", ada.getId()).retrieve().body(Order[].class);

        assertThat(served)
                .extracting(order -> order.lines().get(0).sku())
                .containsExactly("KB-101", "CB-404", "MS-202");
        assertThat(orderRepository.count()).isEqualTo(3);
    }
}
