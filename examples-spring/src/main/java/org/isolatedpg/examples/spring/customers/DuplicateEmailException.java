package org.isolatedpg.examples.spring.customers;

import org.isolatedpg.examples.spring.BusinessRuleException;

public class DuplicateEmailException extends BusinessRuleException {

    private static final long serialVersionUID = 1L;

    public DuplicateEmailException(String email) {
        super("A customer with e-mail address " + email + " is already registered");
    }
}
