package org.isolatedpg.examples.spring.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.isolatedpg.examples.spring.catalogue.Product;
import org.isolatedpg.examples.spring.customers.Customer;
import org.isolatedpg.examples.spring.orders.OrderItem;
import org.isolatedpg.examples.spring.orders.PurchaseOrder;

/** The JSON the API reads and writes: records, never entities. */
final class Views {

    private Views() {}

    record NewCustomer(String name, String email) {}

    record CustomerView(long id, String name, String email) {
        static CustomerView of(Customer customer) {
            return new CustomerView(customer.getId(), customer.getName(), customer.getEmail());
        }
    }

    record ProductView(String sku, String name, BigDecimal unitPrice, int stock) {
        static ProductView of(Product product) {
            return new ProductView(product.getSku(), product.getName(), product.getUnitPrice(), product.getStock());
        }
    }

    record NewOrder(long customerId, List<OrderItem> items) {}

    record LineView(String sku, int quantity, BigDecimal unitPrice) {}

    record OrderView(
            long id, long customerId, String status, Instant placedAt, BigDecimal total, List<LineView> lines) {
        static OrderView of(PurchaseOrder order) {
            return new OrderView(
                    order.getId(),
                    order.getCustomer().getId(),
                    order.getStatus().name(),
                    order.getPlacedAt(),
                    order.getTotal(),
                    order.getLines().stream()
                            .map(line ->
                                    new LineView(line.getProduct().getSku(), line.getQuantity(), line.getUnitPrice()))
                            .toList());
        }
    }
}
