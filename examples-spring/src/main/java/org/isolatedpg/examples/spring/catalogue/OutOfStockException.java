package org.isolatedpg.examples.spring.catalogue;

import org.isolatedpg.examples.spring.BusinessRuleException;

public class OutOfStockException extends BusinessRuleException {

    private static final long serialVersionUID = 1L;

    public OutOfStockException(String sku, int wanted, int inStock) {
        super("Only " + inStock + " of " + sku + " in stock, " + wanted + " wanted");
    }
}
