package org.isolatedpg.examples.spring.orders;

import java.time.Instant;

/** The record that an order's confirmation was issued: what a mail sender would pick up. */
public record Confirmation(long orderId, String reference, Instant confirmedAt) {}
