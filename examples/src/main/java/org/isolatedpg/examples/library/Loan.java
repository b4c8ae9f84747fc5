package org.isolatedpg.examples.library;

import java.time.Instant;

/** A copy of a book lent to a member. */
public record Loan(long id, long memberId, long bookId, long copyId, Instant borrowedAt, Instant dueAt) {}
