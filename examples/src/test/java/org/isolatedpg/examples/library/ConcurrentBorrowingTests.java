package org.isolatedpg.examples.library;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.isolatedpg.examples.library.LoanRefusedException.Reason.LOAN_LIMIT_REACHED;
import static org.isolatedpg.examples.library.LoanRefusedException.Reason.NO_COPY_AVAILABLE;
import static org.isolatedpg.examples.library.SeedData.ADA;
import static org.isolatedpg.examples.library.SeedData.DESIGN_PATTERNS;
import static org.isolatedpg.examples.library.SeedData.EFFECTIVE_JAVA;
import static org.isolatedpg.examples.library.SeedData.GRACE;
import static org.isolatedpg.examples.library.SeedData.INTRODUCTION_TO_ALGORITHMS;
import static org.isolatedpg.examples.library.SeedData.MYTHICAL_MAN_MONTH;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Two borrowers race, each on a connection and in a transaction of their own, and both commit. A test that rolls back
 * one shared transaction cannot do this; a database of its own can. Each race runs ten times, each time on a fresh
 * database: without {@code LoanService}'s row locks, most runs fail.
 */
// tag::concurrency[]
@IsolatedPostgres
class ConcurrentBorrowingTests {

    private final LoanService loans;

    ConcurrentBorrowingTests(DataSource dataSource) {
        this.loans = new LoanService(dataSource);
    }

    /** Opens two connections up front: then neither borrower waits for one, and both really start together. */
    @BeforeEach
    void openTwoConnections(DataSource dataSource) throws SQLException {
        try (Connection first = dataSource.getConnection();
                Connection second = dataSource.getConnection()) {
            // Closed, they wait in the data source's pool.
        }
    }

    @RepeatedTest(10)
    void exactlyOneOfTwoMembersGetsTheLastCopy() throws InterruptedException {
        RaceResult result =
                race(() -> loans.borrow(ADA, MYTHICAL_MAN_MONTH), () -> loans.borrow(GRACE, MYTHICAL_MAN_MONTH));

        assertThat(result.loans()).hasSize(1);
        assertThat(result.refusals()).extracting(LoanRefusedException::reason).containsExactly(NO_COPY_AVAILABLE);
    }
    // end::concurrency[]

    @RepeatedTest(10)
    void aMemberCannotExceedTheLoanLimitByBorrowingTwoBooksAtOnce() throws InterruptedException {
        loans.borrow(ADA, INTRODUCTION_TO_ALGORITHMS);
        loans.borrow(ADA, DESIGN_PATTERNS);

        RaceResult result = race(() -> loans.borrow(ADA, EFFECTIVE_JAVA), () -> loans.borrow(ADA, MYTHICAL_MAN_MONTH));

        assertThat(result.loans()).hasSize(1);
        assertThat(result.refusals()).extracting(LoanRefusedException::reason).containsExactly(LOAN_LIMIT_REACHED);
        assertThat(loans.openLoans(ADA)).hasSize(LoanService.MAX_OPEN_LOANS);
    }

    private record RaceResult(List<Loan> loans, List<LoanRefusedException> refusals) {}

    /** Starts both borrowers at the same moment; a failure other than a refused loan fails the test. */
    private static RaceResult race(Callable<Loan> first, Callable<Loan> second) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<Future<Loan>> futures =
                    executor.invokeAll(List.of(afterBarrier(start, first), afterBarrier(start, second)), 30, SECONDS);
            RaceResult result = new RaceResult(new ArrayList<>(), new ArrayList<>());
            for (Future<Loan> future : futures) {
                try {
                    result.loans().add(future.get());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof LoanRefusedException refusal)) {
                        throw new AssertionError("A borrower failed unexpectedly", e.getCause());
                    }
                    result.refusals().add(refusal);
                }
            }
            return result;
        } finally {
            executor.shutdownNow();
        }
    }

    private static Callable<Loan> afterBarrier(CyclicBarrier start, Callable<Loan> borrow) {
        return () -> {
            start.await(10, SECONDS);
            return borrow.call();
        };
    }
}
