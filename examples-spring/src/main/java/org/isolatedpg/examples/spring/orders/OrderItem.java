package org.isolatedpg.examples.spring.orders;

/** One line of an order to place: {@code quantity} units of the product {@code sku}. */
public record OrderItem(String sku, int quantity) {}
