package org.isolatedpg.examples.library;

import java.time.Instant;

/**
 * What a member gets when returning a book.
 *
 * @param fineCents the fine for returning it late, in cents; 0 when on time
 */
public record Receipt(long loanId, Instant returnedAt, int fineCents) {}
