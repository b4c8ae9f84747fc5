package org.isolatedpg.examples.library;

import java.time.Instant;

/**
 * An open loan past its due date, as the {@code overdue_loans} view reports it.
 *
 * @param daysOverdue whole days since the loan fell due
 */
public record OverdueLoan(
        long loanId, long memberId, String memberName, String title, Instant dueAt, int daysOverdue) {}
