package org.isolatedpg.examples.spring.reports;

import java.math.BigDecimal;

/** What one product sold in orders that stand. */
public record ProductSales(String sku, String name, int units, BigDecimal revenue) {}
