package org.isolatedpg.examples.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.isolatedpg.examples.library.SeedData.ADA;
import static org.isolatedpg.examples.library.SeedData.ALAN;
import static org.isolatedpg.examples.library.SeedData.DESIGN_PATTERNS;
import static org.isolatedpg.examples.library.SeedData.EFFECTIVE_JAVA;
import static org.isolatedpg.examples.library.SeedData.GRACE;
import static org.isolatedpg.examples.library.SeedData.INTRODUCTION_TO_ALGORITHMS;
import static org.isolatedpg.examples.library.SeedData.MYTHICAL_MAN_MONTH;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.isolatedpg.junit.Isolation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code overdue_loans} view, read by tests that share one database: {@code @BeforeAll} lends the books once, and
 * the tests only read.
 */
// tag::per-class[]
@IsolatedPostgres(isolation = Isolation.PER_CLASS)
class OverdueLoansViewTests {

    @BeforeAll
    static void lendBooks(DataSource dataSource) {
        lendDaysAgo(dataSource, 34, ADA, INTRODUCTION_TO_ALGORITHMS); // 20 days overdue
        lendDaysAgo(dataSource, 20, ALAN, DESIGN_PATTERNS); // 6 days overdue
        lendDaysAgo(dataSource, 10, ALAN, EFFECTIVE_JAVA); // due in 4 days
        Loan returned = lendDaysAgo(dataSource, 40, ADA, MYTHICAL_MAN_MONTH);
        new LoanService(dataSource).returnBook(returned.id());
    }

    @Test
    void listsOpenLoansPastTheirDueDateMostOverdueFirst(DataSource dataSource) {
        assertThat(new LoanService(dataSource).overdueLoans())
                .extracting(OverdueLoan::memberName, OverdueLoan::title)
                .containsExactly(
                        tuple("Ada Lovelace", "Introduction to Algorithms"),
                        tuple("Grace Hopper", "Java Concurrency in Practice"), // from the seed data
                        tuple("Alan Turing", "Design Patterns"));
    }
    // end::per-class[]

    @Test
    void countsWholeDaysOverdue(DataSource dataSource) {
        assertThat(new LoanService(dataSource).overdueLoans())
                .filteredOn(loan -> loan.memberId() != GRACE)
                .extracting(OverdueLoan::daysOverdue)
                .containsExactly(20, 6);
    }

    @Test
    void leavesOutReturnedLoansAndLoansNotYetDue(DataSource dataSource) {
        assertThat(new LoanService(dataSource).overdueLoans())
                .extracting(OverdueLoan::title)
                .doesNotContain("The Mythical Man-Month", "Effective Java");
    }

    @Test
    void givesTheAddressesForReminderEmails(DataSource dataSource) throws SQLException {
        List<String> addresses = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT DISTINCT member_email FROM overdue_loans ORDER BY member_email")) {
            while (rows.next()) {
                addresses.add(rows.getString(1));
            }
        }

        assertThat(addresses).containsExactly("ada@example.org", "alan@example.org", "grace@example.org");
    }

    private static Loan lendDaysAgo(DataSource dataSource, int days, long memberId, long bookId) {
        Clock daysAgo = Clock.offset(Clock.systemUTC(), Duration.ofDays(-days));
        return new LoanService(dataSource, daysAgo).borrow(memberId, bookId);
    }
}
