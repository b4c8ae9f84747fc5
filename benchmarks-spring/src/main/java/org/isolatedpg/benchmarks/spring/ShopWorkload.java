package org.isolatedpg.benchmarks.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.isolatedpg.examples.spring.catalogue.OutOfStockException;
import org.isolatedpg.examples.spring.catalogue.Product;
import org.isolatedpg.examples.spring.catalogue.ProductRepository;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.examples.spring.orders.OrderConfirmations;
import org.isolatedpg.examples.spring.orders.OrderItem;
import org.isolatedpg.examples.spring.orders.OrderRepository;
import org.isolatedpg.examples.spring.orders.OrderService;
import org.isolatedpg.examples.spring.orders.PurchaseOrder;
import org.isolatedpg.examples.spring.reports.ProductSales;
import org.isolatedpg.examples.spring.reports.SalesReport;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The test bodies every variant runs, against the shop of examples-spring: each expects a database that holds the
 * migrated catalogue and nothing else (every one registers the same customer), commits what it does, and fails if it
 * sees another test's rows. The variants differ only in their annotations: how each test gets that database.
 */
public abstract class ShopWorkload {

    /** Eight test methods, so 80 tests: enough for the per-test costs to outweigh a context's start. */
    static final int REPETITIONS = 10;

    @Autowired
    Customers customers;

    @Autowired
    CustomerRepository customerRepository;

    @Autowired
    ProductRepository products;

    @Autowired
    OrderService orders;

    @Autowired
    OrderRepository orderRepository;

    @Autowired
    OrderConfirmations confirmations;

    @Autowired
    SalesReport report;

    @Autowired
    WebApplicationContext context;

    @RepeatedTest(REPETITIONS)
    void placesAnOrder() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");

        orders.place(ada.getId(), List.of(new OrderItem("KB-101", 2), new OrderItem("CB-404", 3)));

        assertThat(stockOf("KB-101")).isEqualTo(23);
        assertThat(orderRepository.count()).isOne();
    }

    @RepeatedTest(REPETITIONS)
    void refusesAnOrderBeyondTheStock() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");

        assertThatThrownBy(() ->
                        orders.place(ada.getId(), List.of(new OrderItem("MN-303", 1), new OrderItem("HS-505", 4))))
                .isInstanceOf(OutOfStockException.class);

        assertThat(stockOf("MN-303")).isEqualTo(10);
        assertThat(orderRepository.count()).isZero();
    }

    @RepeatedTest(REPETITIONS)
    void cancelsAnOrder() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");
        PurchaseOrder order = orders.place(ada.getId(), List.of(new OrderItem("HS-505", 3)));

        orders.cancel(order.getId());

        assertThat(stockOf("HS-505")).isEqualTo(3);
    }

    @RepeatedTest(REPETITIONS)
    void savesSixtyCustomers() {
        customerRepository.saveAll(IntStream.range(0, 60)
                .mapToObj(i -> new Customer("Customer " + i, "customer-" + i + "@example.org"))
                .toList());

        assertThat(customerRepository.count()).isEqualTo(60);
    }

    @RepeatedTest(REPETITIONS)
    void confirmsOrdersInTheBackground() throws Exception {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");
        List<CompletableFuture<?>> pending = IntStream.range(0, 3)
                .mapToObj(i -> orders.place(ada.getId(), List.of(new OrderItem("CB-404", 1))))
                .<CompletableFuture<?>>map(order -> confirmations.confirm(order.getId()))
                .toList();

        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(confirmations.count()).isEqualTo(3);
    }

    @RepeatedTest(REPETITIONS)
    void ranksTopSellers() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");
        orders.place(ada.getId(), List.of(new OrderItem("CB-404", 10), new OrderItem("MS-202", 1)));
        orders.place(ada.getId(), List.of(new OrderItem("MN-303", 1)));

        assertThat(report.topSellers(2)).extracting(ProductSales::sku).containsExactly("MN-303", "CB-404");
    }

    @RepeatedTest(REPETITIONS)
    void listsACustomersOrdersNewestFirst() {
        Customer ada = customers.register("Ada Lovelace", "ada@example.org");
        PurchaseOrder first = orders.place(ada.getId(), List.of(new OrderItem("MS-202", 1)));
        PurchaseOrder second = orders.place(ada.getId(), List.of(new OrderItem("CB-404", 1)));

        assertThat(orders.ordersOf(ada.getId()))
                .extracting(PurchaseOrder::getId)
                .containsExactly(second.getId(), first.getId());
    }

    @RepeatedTest(REPETITIONS)
    void servesTheApi() throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();

        mvc.perform(get("/products"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(5));
        mvc.perform(post("/customers").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "Ada Lovelace", "email": "ada@example.org"}"""))
                .andExpect(status().isCreated());

        assertThat(customerRepository.count()).isOne();
    }

    private int stockOf(String sku) {
        return products.findBySku(sku).map(Product::getStock).orElseThrow();
    }
}
