package org.isolatedpg.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * A small shop: customers, a catalogue with stock, orders that take stock, confirmations written in the background, and
 * a sales report in plain SQL. Flyway migrations under {@code db/migration} own the schema.
 */
@SpringBootApplication
@EnableAsync
public class ShopApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}
