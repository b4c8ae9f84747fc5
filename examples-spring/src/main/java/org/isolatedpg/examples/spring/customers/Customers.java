package org.isolatedpg.examples.spring.customers;

import org.isolatedpg.examples.spring.NotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Registers customers: one account per e-mail address, whatever its case. */
@Service
public class Customers {

    private final CustomerRepository repository;

    public Customers(CustomerRepository repository) {
        this.repository = repository;
    }

    @Transactional
    public Customer register(String name, String email) {
        if (name == null || name.isBlank() || email == null || !email.contains("@")) {
            throw new IllegalArgumentException(
                    "A customer needs a name and an e-mail address, got " + name + " <" + email + ">");
        }
        if (repository.existsByEmailIgnoreCase(email)) {
            throw new DuplicateEmailException(email);
        }
        return repository.save(new Customer(name.strip(), email.strip()));
    }

    @Transactional(readOnly = true)
    public Customer find(long id) {
        return repository.findById(id).orElseThrow(() -> new NotFoundException("Customer", id));
    }
}
