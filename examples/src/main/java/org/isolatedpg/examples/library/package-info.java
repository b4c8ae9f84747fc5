/**
 * A small lending library on plain JDBC and Flyway migrations: the application the examples test.
 *
 * <p>Members borrow copies of books for {@link org.isolatedpg.examples.library.LoanService#LOAN_PERIOD two weeks},
 * hold at most {@value org.isolatedpg.examples.library.LoanService#MAX_OPEN_LOANS} loans at a time and are fined
 * for every day a book comes back late. The schema lives in {@code src/main/resources/db/migration}.
 */
package org.isolatedpg.examples.library;
