package org.isolatedpg.examples.spring.orders;

public enum OrderStatus {
    PLACED,
    CANCELLED
}
