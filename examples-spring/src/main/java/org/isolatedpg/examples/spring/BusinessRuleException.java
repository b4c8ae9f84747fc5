package org.isolatedpg.examples.spring;

/** A request the shop's rules refuse (no stock, an address already taken...): answered with 409. */
public abstract class BusinessRuleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected BusinessRuleException(String message) {
        super(message);
    }
}
