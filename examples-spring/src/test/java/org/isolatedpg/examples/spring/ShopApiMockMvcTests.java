package org.isolatedpg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import org.isolatedpg.examples.spring.catalogue.Product;
import org.isolatedpg.examples.spring.catalogue.ProductRepository;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.examples.spring.orders.OrderConfirmations;
import org.isolatedpg.examples.spring.orders.OrderItem;
import org.isolatedpg.examples.spring.orders.OrderService;
import org.isolatedpg.examples.spring.orders.PurchaseOrder;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The API in a mock web environment: MockMvc calls the controllers on the test's own thread. MockMvc is built from the
 * context with Spring Framework's {@link MockMvcBuilders}, which Boot 3 and 4 both leave where it is.
 */
@SpringBootTest
@IsolatedPostgres
class ShopApiMockMvcTests {

    @Autowired
    WebApplicationContext context;

    @Autowired
    Customers customers;

    @Autowired
    CustomerRepository customerRepository;

    @Autowired
    ProductRepository products;

    @Autowired
    OrderService orders;

    @Autowired
    OrderConfirmations confirmations;

    MockMvc mvc;

    @BeforeEach
    void buildMockMvc() {
        mvc = MockMvcBuilders.webAppContextSetup(context).build();
    }

    @Test
    void listsTheCatalogueBySku() throws Exception {
        mvc.perform(get("/products"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(5))
                .andExpect(jsonPath("$[0].sku").value("CB-404"))
                .andExpect(jsonPath("$[4].sku").value("MS-202"));
    }

    @Test
    void registersACustomer() throws Exception {
        String location = mvc.perform(post("/customers")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                        {"name": "Ada Lovelace", "email": "ada@example.org"}"""))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.name").value("Ada Lovelace"))
                .andReturn()
                .getResponse()
                .getHeader("Location");

        Customer registered =
                customerRepository.findByEmailIgnoreCase("ada@example.org").orElseThrow();
        assertThat(location).isEqualTo("/customers/" + registered.getId());
    }

    @Test
    void refusesASecondAccountForOneAddress() throws Exception {
        customers.register("Ada Lovelace", "ada@example.org");

        mvc.perform(post("/customers").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "Ada King", "email": "Ada@Example.org"}"""))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail")
                        .value("A customer with e-mail address Ada@Example.org is already registered"));
        assertThat(customerRepository.count()).isOne();
    }

    @Test
    void placesAnOrder() throws Exception {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");

        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("""
                        {"customerId": %d, "items": [{"sku": "MN-303", "quantity": 2}]}""".formatted(ada.getId())))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.status").value("PLACED"))
                .andExpect(jsonPath("$.total").value(498.0))
                .andExpect(jsonPath("$.lines[0].sku").value("MN-303"));

        assertThat(products.findBySku("MN-303"))
                .get()
                .extracting(Product::getStock)
                .isEqualTo(8);
    }

    @Test
    void refusesAnOrderBeyondTheStockAndTakesNothing() throws Exception {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");

        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("""
                        {"customerId": %d, "items": [{"sku": "KB-101", "quantity": 1}, {"sku": "HS-505", "quantity": 9}]}""".formatted(ada.getId())))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value("Only 3 of HS-505 in stock, 9 wanted"));

        assertThat(products.findBySku("KB-101"))
                .get()
                .extracting(Product::getStock)
                .isEqualTo(25);
    }

    @Test
    void cancelsAnOrderOnce() throws Exception {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");
        PurchaseOrder order = orders.place(ada.getId(), List.of(new OrderItem("MS-202", 4)));

        mvc.perform(delete("/orders/{id}", order.getId()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CANCELLED"));
        mvc.perform(delete("/orders/{id}", order.getId())).andExpect(status().isConflict());

        assertThat(products.findBySku("MS-202"))
                .get()
                .extracting(Product::getStock)
                .isEqualTo(40);
    }

    @Test
    void confirmsAnOrderThroughTheTaskExecutor() throws Exception {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");
        PurchaseOrder order = orders.place(ada.getId(), List.of(new OrderItem("CB-404", 1)));

        mvc.perform(post("/orders/{id}/confirmation", order.getId()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.reference").value("SHOP-%08d".formatted(order.getId())));

        assertThat(confirmations.find(order.getId())).isPresent();
    }

    @Test
    void ranksTopSellersByRevenue() throws Exception {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");
        orders.place(ada.getId(), List.of(new OrderItem("CB-404", 10), new OrderItem("MS-202", 1)));
        orders.place(ada.getId(), List.of(new OrderItem("MN-303", 1)));

        mvc.perform(get("/reports/top-sellers").param("limit", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[0].sku").value("MN-303"))
                .andExpect(jsonPath("$[1].sku").value("CB-404"))
                .andExpect(jsonPath("$[1].units").value(10));
    }

    @Test
    void answersNotFoundForAnUnknownOrder() throws Exception {
        mvc.perform(get("/orders/{id}", 424242))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("Order 424242 does not exist"));
    }
}
