package org.isolatedpg.examples.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.isolatedpg.examples.library.SeedData.ADA;
import static org.isolatedpg.examples.library.SeedData.ALAN;
import static org.isolatedpg.examples.library.SeedData.DESIGN_PATTERNS;
import static org.isolatedpg.examples.library.SeedData.EDSGER;
import static org.isolatedpg.examples.library.SeedData.EFFECTIVE_JAVA;
import static org.isolatedpg.examples.library.SeedData.INTRODUCTION_TO_ALGORITHMS;
import static org.isolatedpg.examples.library.SeedData.MYTHICAL_MAN_MONTH;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.isolatedpg.examples.library.LoanRefusedException.Reason;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@IsolatedPostgres
class LoanServiceTests {

    private static final Instant NOW = Instant.parse("2026-03-02T09:30:00Z");

    private final DataSource dataSource;
    private final LoanService loans;
    private final BookRepository books;

    LoanServiceTests(DataSource dataSource) {
        this.dataSource = dataSource;
        this.loans = loansAt(NOW);
        this.books = new BookRepository(dataSource);
    }

    @Test
    void aLoanIsDueTwoWeeksAfterBorrowing() {
        Loan loan = loans.borrow(ADA, EFFECTIVE_JAVA);

        assertThat(loan.borrowedAt()).isEqualTo(NOW);
        assertThat(loan.dueAt()).isEqualTo(Instant.parse("2026-03-16T09:30:00Z"));
        assertThat(loans.openLoans(ADA)).containsExactly(loan);
    }

    @Test
    void borrowingTheLastCopyMakesTheBookUnavailable() {
        loans.borrow(ADA, EFFECTIVE_JAVA);
        assertThat(books.availableCopies(EFFECTIVE_JAVA)).isEqualTo(1);

        loans.borrow(ALAN, EFFECTIVE_JAVA);
        assertThat(books.availableCopies(EFFECTIVE_JAVA)).isZero();
    }

    @Test
    void suspendedMembersCannotBorrow() {
        assertThatExceptionOfType(LoanRefusedException.class)
                .isThrownBy(() -> loans.borrow(EDSGER, EFFECTIVE_JAVA))
                .withMessage("Member 4 is suspended")
                .extracting(LoanRefusedException::reason)
                .isEqualTo(Reason.MEMBER_SUSPENDED);
        assertThat(loans.openLoans(EDSGER)).isEmpty();
    }

    @Test
    void membersMayHoldAtMostThreeBooks() {
        loans.borrow(ADA, INTRODUCTION_TO_ALGORITHMS);
        loans.borrow(ADA, DESIGN_PATTERNS);
        loans.borrow(ADA, EFFECTIVE_JAVA);

        assertThatExceptionOfType(LoanRefusedException.class)
                .isThrownBy(() -> loans.borrow(ADA, MYTHICAL_MAN_MONTH))
                .withMessage("Member 1 already holds 3 books, the most allowed")
                .extracting(LoanRefusedException::reason)
                .isEqualTo(Reason.LOAN_LIMIT_REACHED);
    }

    @Test
    void borrowingABookTheLibraryDoesNotHaveFails() {
        assertThatExceptionOfType(NotFoundException.class)
                .isThrownBy(() -> loans.borrow(ADA, 42))
                .withMessage("No book with id 42");
    }

    @Test
    void aBookReturnedOnTimeIsNotFined() {
        Loan loan = loans.borrow(ADA, EFFECTIVE_JAVA);

        Receipt receipt = loansAt(loan.dueAt()).returnBook(loan.id());

        assertThat(receipt.fineCents()).isZero();
        assertThat(loans.openLoans(ADA)).isEmpty();
        assertThat(books.availableCopies(EFFECTIVE_JAVA)).isEqualTo(2);
    }

    @Test
    void aBookCannotBeReturnedTwice() {
        Loan loan = loans.borrow(ADA, EFFECTIVE_JAVA);
        loans.returnBook(loan.id());

        assertThatExceptionOfType(AlreadyReturnedException.class)
                .isThrownBy(() -> loans.returnBook(loan.id()))
                .withMessage("Loan " + loan.id() + " was already returned at 2026-03-02T09:30:00Z");
    }

    @ParameterizedTest(name = "returned {0} after borrowing: fined {1} cents")
    @CsvSource({"P14D, 0", "P14DT23H, 0", "P15D, 25", "P24D, 250", "P90D, 1000"})
    void lateReturnsAreFinedForEveryWholeDayUpToACap(Duration keptFor, int fineCents) {
        Loan loan = loans.borrow(ADA, EFFECTIVE_JAVA);

        Receipt receipt = loansAt(NOW.plus(keptFor)).returnBook(loan.id());

        assertThat(receipt.fineCents()).isEqualTo(fineCents);
        assertThat(loans.totalFinesCents(ADA)).isEqualTo(fineCents);
    }

    @Test
    void finesAddUpOverAMembersLateReturns() {
        Loan first = loans.borrow(ALAN, EFFECTIVE_JAVA);
        Loan second = loans.borrow(ALAN, DESIGN_PATTERNS);

        loansAt(NOW.plus(Duration.ofDays(16))).returnBook(first.id());
        loansAt(NOW.plus(Duration.ofDays(20))).returnBook(second.id());

        assertThat(loans.totalFinesCents(ALAN)).isEqualTo(2 * 25 + 6 * 25);
    }

    // tag::nested[]
    @Nested
    class WhenTheOnlyCopyIsLentOut {

        private Loan adasLoan;

        @BeforeEach
        void lendTheOnlyCopyToAda() {
            adasLoan = loans.borrow(ADA, MYTHICAL_MAN_MONTH);
        }

        @Test
        void nobodyElseCanBorrowIt() {
            assertThatExceptionOfType(LoanRefusedException.class)
                    .isThrownBy(() -> loans.borrow(ALAN, MYTHICAL_MAN_MONTH))
                    .withMessage("Every copy of 'The Mythical Man-Month' is lent out")
                    .extracting(LoanRefusedException::reason)
                    .isEqualTo(Reason.NO_COPY_AVAILABLE);
        }

        @Test
        void itCanBeBorrowedAgainOnceReturned() {
            loans.returnBook(adasLoan.id());

            assertThat(loans.borrow(ALAN, MYTHICAL_MAN_MONTH).copyId()).isEqualTo(adasLoan.copyId());
        }

        @Test
        void aNewCopyCanBeBorrowedAtOnce() {
            books.addCopies(MYTHICAL_MAN_MONTH, 1);

            assertThat(loans.borrow(ALAN, MYTHICAL_MAN_MONTH).copyId()).isNotEqualTo(adasLoan.copyId());
        }
    }
    // end::nested[]

    private LoanService loansAt(Instant instant) {
        return new LoanService(dataSource, Clock.fixed(instant, ZoneOffset.UTC));
    }
}
