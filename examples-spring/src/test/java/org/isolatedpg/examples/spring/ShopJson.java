package org.isolatedpg.examples.spring;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The API's JSON as a client sees it: the tests read responses into these, never into the application's types. */
final class ShopJson {

    private ShopJson() {}

    record NewCustomer(String name, String email) {}

    record Customer(long id, String name, String email) {}

    record Product(String sku, String name, BigDecimal unitPrice, int stock) {}

    record Item(String sku, int quantity) {}

    record NewOrder(long customerId, List<Item> items) {}

    record Line(String sku, int quantity, BigDecimal unitPrice) {}

    record Order(long id, long customerId, String status, Instant placedAt, BigDecimal total, List<Line> lines) {}

    record Confirmation(long orderId, String reference, Instant confirmedAt) {}

    record Problem(String title, int status, String detail, String instance) {}
}
