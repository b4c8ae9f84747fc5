package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.isolatedpg.examples.spring.ShopJson.Item;
import org.isolatedpg.examples.spring.ShopJson.NewCustomer;
import org.isolatedpg.examples.spring.ShopJson.NewOrder;
import org.isolatedpg.examples.spring.catalogue.Product;
import org.isolatedpg.examples.spring.catalogue.ProductRepository;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The API over real HTTP through the context's {@link WebTestClient}, which marks its requests with the test too. */
@ShopServerTest
@IsolatedPostgres
class ShopApiWebTestClientTests {

    @Autowired
    WebTestClient client;

    @Autowired
    Customers customers;

    @Autowired
    CustomerRepository customerRepository;

    @Autowired
    ProductRepository products;

    @Test
    void registersACustomerInThisTestsDatabase() {
        client.post()
                .uri("/customers")
                .bodyValue(new NewCustomer("Ada Lovelace", "ada@example.org"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.email")
                .isEqualTo("ada@example.org");

        assertThat(customerRepository.findAll()).extracting(Customer::getName).containsExactly("Ada Lovelace");
    }

    @Test
    void placesAnOrderAgainstThisTestsStock() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");

        client.post()
                .uri("/orders")
                .bodyValue(new NewOrder(ada.getId(), List.of(new Item("HS-505", 2))))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(118.0);

        assertThat(products.findBySku("HS-505"))
                .get()
                .extracting(Product::getStock)
                .isEqualTo(1);
    }

    @Test
    void answersNotFoundForAnUnknownCustomer() {
        client.get()
                .uri("/customers/{id}/orders", 424242)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("Customer 424242 does not exist");
    }
}
