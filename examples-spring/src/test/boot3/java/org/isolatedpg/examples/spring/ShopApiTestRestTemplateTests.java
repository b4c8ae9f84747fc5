package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.isolatedpg.examples.spring.ShopJson.Item;
import org.isolatedpg.examples.spring.ShopJson.NewCustomer;
import org.isolatedpg.examples.spring.ShopJson.NewOrder;
import org.isolatedpg.examples.spring.ShopJson.Order;
import org.isolatedpg.examples.spring.ShopJson.Problem;
import org.isolatedpg.examples.spring.catalogue.ProductRepository;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.examples.spring.orders.OrderRepository;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The API over real HTTP through the context's {@link TestRestTemplate}, which marks its requests with the test that
 * sent them. Boot 3's {@code TestRestTemplate}; Boot 4 moved the class (src/test/boot4).
 */
@ShopServerTest
@IsolatedPostgres
class ShopApiTestRestTemplateTests {

    @Autowired
    TestRestTemplate rest;

    @Autowired
    Customers customers;

    @Autowired
    CustomerRepository customerRepository;

    @Autowired
    OrderRepository orderRepository;

    @Autowired
    ProductRepository products;

    @Test
    void servesTheCatalogue() {
        ResponseEntity<ShopJson.Product[]> catalogue = rest.getForEntity("/products", ShopJson.Product[].class);

        assertThat(catalogue.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(catalogue.getBody()).extracting(ShopJson.Product::sku).hasSize(5).contains("KB-101");
    }

    @Test
    void registersACustomerInThisTestsDatabase() {
        ResponseEntity<ShopJson.Customer> registered = rest.postForEntity(
                "/customers", new NewCustomer("Ada Lovelace", "ada@example.org"), ShopJson.Customer.class);

        assertThat(registered.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(customerRepository.findById(registered.getBody().id()))
                .get()
                .extracting(Customer::getEmail)
                .isEqualTo("ada@example.org");
    }

    @Test
    void placesAndCancelsAnOrder() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");
        Order placed = rest.postForObject(
                "/orders", new NewOrder(ada.getId(), List.of(new Item("MS-202", 5))), Order.class);

        rest.delete("/orders/{id}", placed.id());

        assertThat(orderRepository.findById(placed.id()))
                .get()
                .extracting(order -> order.getStatus().name())
                .isEqualTo("CANCELLED");
        assertThat(products.findBySku("MS-202")).get().extracting(product -> product.getStock()).isEqualTo(40);
    }

    @Test
    void refusesAnOrderForAnUnknownCustomer() {
        ResponseEntity<Problem> refused = rest.postForEntity(
                "/orders", new NewOrder(424242, List.of(new Item("MS-202", 1))), Problem.class);

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(refused.getBody().detail()).isEqualTo("Customer 424242 does not exist");
    }
}
