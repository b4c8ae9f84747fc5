package org.isolatedpg.examples.spring.orders;

import java.util.List;
import org.isolatedpg.examples.spring.NotFoundException;
import org.isolatedpg.examples.spring.catalogue.Product;
import org.isolatedpg.examples.spring.catalogue.ProductRepository;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.customers.CustomerRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places and cancels orders. An order takes its products out of stock all at once or not at all: a line that cannot be
 * served rolls the whole order back.
 */
@Service
public class OrderService {

    private final OrderRepository orders;
    private final CustomerRepository customers;
    private final ProductRepository products;

    public OrderService(OrderRepository orders, CustomerRepository customers, ProductRepository products) {
        this.orders = orders;
        this.customers = customers;
        this.products = products;
    }

    @Transactional
    public PurchaseOrder place(long customerId, List<OrderItem> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("An order needs at least one item");
        }
        Customer customer =
                customers.findById(customerId).orElseThrow(() -> new NotFoundException("Customer", customerId));
        PurchaseOrder order = new PurchaseOrder(customer);
        for (OrderItem item : items) {
            if (item.quantity() <= 0) {
                throw new IllegalArgumentException("Quantities must be positive, got " + item);
            }
            Product product =
                    products.findBySku(item.sku()).orElseThrow(() -> new NotFoundException("Product", item.sku()));
            product.take(item.quantity());
            order.add(product, item.quantity());
        }
        return orders.save(order);
    }

    /** Cancels a placed order and puts its products back in stock. */
    @Transactional
    public PurchaseOrder cancel(long orderId) {
        PurchaseOrder order = find(orderId);
        order.cancel();
        return order;
    }

    @Transactional(readOnly = true)
    public PurchaseOrder find(long orderId) {
        return orders.findWithLinesById(orderId).orElseThrow(() -> new NotFoundException("Order", orderId));
    }

    /** A customer's orders, newest first. */
    @Transactional(readOnly = true)
    public List<PurchaseOrder> ordersOf(long customerId) {
        if (!customers.existsById(customerId)) {
            throw new NotFoundException("Customer", customerId);
        }
        return orders.findByCustomerIdOrderByPlacedAtDescIdDesc(customerId);
    }
}
