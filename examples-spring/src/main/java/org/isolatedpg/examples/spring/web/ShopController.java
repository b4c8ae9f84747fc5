package org.isolatedpg.examples.spring.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.isolatedpg.examples.spring.catalogue.ProductRepository;
import org.isolatedpg.examples.spring.customers.Customers;
import org.isolatedpg.examples.spring.orders.Confirmation;
import org.isolatedpg.examples.spring.orders.OrderConfirmations;
import org.isolatedpg.examples.spring.orders.OrderService;
import org.isolatedpg.examples.spring.reports.ProductSales;
import org.isolatedpg.examples.spring.reports.SalesReport;
import org.isolatedpg.examples.spring.web.Views.CustomerView;
import org.isolatedpg.examples.spring.web.Views.NewCustomer;
import org.isolatedpg.examples.spring.web.Views.NewOrder;
import org.isolatedpg.examples.spring.web.Views.OrderView;
import org.isolatedpg.examples.spring.web.Views.ProductView;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ShopController {

    /** How long a request waits for its confirmation, issued in the background. */
    private static final Duration CONFIRMATION_TIMEOUT = Duration.ofSeconds(10);

    private final Customers customers;
    private final ProductRepository products;
    private final OrderService orders;
    private final OrderConfirmations confirmations;
    private final SalesReport sales;

    ShopController(
            Customers customers,
            ProductRepository products,
            OrderService orders,
            OrderConfirmations confirmations,
            SalesReport sales) {
        this.customers = customers;
        this.products = products;
        this.orders = orders;
        this.confirmations = confirmations;
        this.sales = sales;
    }

    @GetMapping("/products")
    List<ProductView> products() {
        return products.findAllByOrderBySkuAsc().stream().map(ProductView::of).toList();
    }

    @PostMapping("/customers")
    ResponseEntity<CustomerView> register(@RequestBody NewCustomer customer) {
        CustomerView registered = CustomerView.of(customers.register(customer.name(), customer.email()));
        return ResponseEntity.created(URI.create("/customers/" + registered.id()))
                .body(registered);
    }

    @GetMapping("/customers/{id}")
    CustomerView customer(@PathVariable long id) {
        return CustomerView.of(customers.find(id));
    }

    @GetMapping("/customers/{id}/orders")
    List<OrderView> ordersOf(@PathVariable long id) {
        return orders.ordersOf(id).stream().map(OrderView::of).toList();
    }

    @PostMapping("/orders")
    ResponseEntity<OrderView> place(@RequestBody NewOrder order) {
        OrderView placed = OrderView.of(orders.place(order.customerId(), order.items()));
        return ResponseEntity.created(URI.create("/orders/" + placed.id())).body(placed);
    }

    @GetMapping("/orders/{id}")
    OrderView order(@PathVariable long id) {
        return OrderView.of(orders.find(id));
    }

    @DeleteMapping("/orders/{id}")
    OrderView cancel(@PathVariable long id) {
        return OrderView.of(orders.cancel(id));
    }

    /** Issues the order's confirmation on the task executor and answers once it is recorded. */
    @PostMapping("/orders/{id}/confirmation")
    Confirmation confirm(@PathVariable long id) throws InterruptedException, TimeoutException {
        try {
            return confirmations.confirm(id).get(CONFIRMATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("Confirming order " + id + " failed", e.getCause());
        }
    }

    @GetMapping("/reports/top-sellers")
    List<ProductSales> topSellers(@RequestParam(defaultValue = "3") int limit) {
        return sales.topSellers(limit);
    }
}
