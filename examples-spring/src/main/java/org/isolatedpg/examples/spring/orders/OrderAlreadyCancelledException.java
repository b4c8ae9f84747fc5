package org.isolatedpg.examples.spring.orders;

import org.isolatedpg.examples.spring.BusinessRuleException;

public class OrderAlreadyCancelledException extends BusinessRuleException {

    private static final long serialVersionUID = 1L;

    public OrderAlreadyCancelledException(Long orderId) {
        super("Order " + orderId + " is already cancelled");
    }
}
