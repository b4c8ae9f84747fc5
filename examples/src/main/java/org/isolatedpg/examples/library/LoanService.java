package org.isolatedpg.examples.library;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.isolatedpg.examples.library.LoanRefusedException.Reason;

/**
 * Lends books and takes them back.
 *
 * <p>{@link #borrow} checks the rules and inserts the loan in one transaction. It locks the member's row, then the
 * book's row ({@code SELECT … FOR UPDATE}, always in this order, so two borrows never deadlock): two borrows by one
 * member, or of one book, take turns, and neither can lend a copy the other just took.
 */
public final class LoanService {

    /** How long a member may keep a book. */
    public static final Duration LOAN_PERIOD = Duration.ofDays(14);

    /** How many books a member may hold at once. */
    public static final int MAX_OPEN_LOANS = 3;

    /** The fine for every whole day a book comes back late. */
    public static final int FINE_PER_DAY_CENTS = 25;

    /** The most one late return costs. */
    public static final int MAX_FINE_CENTS = 1_000;

    /** The copy of a book with the lowest id that is not lent out. */
    private static final String COPY_ON_SHELF = """
            SELECT c.id FROM copy c
            WHERE c.book_id = ?
              AND NOT EXISTS (SELECT FROM loan l WHERE l.copy_id = c.id AND l.returned_at IS NULL)
            ORDER BY c.id
            LIMIT 1""";

    private static final String OPEN_LOANS = """
            SELECT l.id, l.member_id, c.book_id, l.copy_id, l.borrowed_at, l.due_at
            FROM loan l JOIN copy c ON c.id = l.copy_id
            WHERE l.member_id = ? AND l.returned_at IS NULL
            ORDER BY l.borrowed_at, l.id""";

    private final Jdbc jdbc;
    private final Clock clock;

    public LoanService(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    public LoanService(DataSource dataSource, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.clock = clock;
    }

    /**
     * Lends a copy of a book to a member for {@link #LOAN_PERIOD}.
     *
     * @throws LoanRefusedException if the member is suspended or at the loan limit, or no copy is on the shelf
     * @throws NotFoundException if there is no such member or book
     */
    public Loan borrow(long memberId, long bookId) {
        Instant now = now();
        return jdbc.inTransaction(tx -> {
            lockMemberAllowedToBorrow(tx, memberId);
            long copyId = lockBookAndFindCopyOnShelf(tx, bookId);
            Instant dueAt = now.plus(LOAN_PERIOD);
            long loanId = tx.queryOne(
                            "INSERT INTO loan (copy_id, member_id, borrowed_at, due_at) VALUES (?, ?, ?, ?) RETURNING id",
                            row -> row.getLong(1),
                            copyId,
                            memberId,
                            now,
                            dueAt)
                    .orElseThrow();
            return new Loan(loanId, memberId, bookId, copyId, now, dueAt);
        });
    }

    /**
     * Takes a book back, fining {@link #FINE_PER_DAY_CENTS} for every whole day past due, up to
     * {@link #MAX_FINE_CENTS}.
     *
     * @throws AlreadyReturnedException if the loan was already returned
     * @throws NotFoundException if there is no such loan
     */
    public Receipt returnBook(long loanId) {
        Instant now = now();
        return jdbc.inTransaction(tx -> {
            LoanDates loan = tx.queryOne(
                            "SELECT due_at, returned_at FROM loan WHERE id = ? FOR UPDATE",
                            row -> new LoanDates(Jdbc.instant(row, "due_at"), Jdbc.instant(row, "returned_at")),
                            loanId)
                    .orElseThrow(() -> NotFoundException.loan(loanId));
            if (loan.returnedAt() != null) {
                throw new AlreadyReturnedException(loanId, loan.returnedAt());
            }
            int fine = fineCents(loan.dueAt(), now);
            tx.update("UPDATE loan SET returned_at = ?, fine_cents = ? WHERE id = ?", now, fine, loanId);
            return new Receipt(loanId, now, fine);
        });
    }

    /** The member's loans not yet returned, oldest first. */
    public List<Loan> openLoans(long memberId) {
        return jdbc.query(OPEN_LOANS, LoanService::loan, memberId);
    }

    /** Every open loan past its due date, the most overdue first. */
    public List<OverdueLoan> overdueLoans() {
        return jdbc.query(
                "SELECT loan_id, member_id, member_name, title, due_at, days_overdue FROM overdue_loans",
                row -> new OverdueLoan(
                        row.getLong("loan_id"),
                        row.getLong("member_id"),
                        row.getString("member_name"),
                        row.getString("title"),
                        Jdbc.instant(row, "due_at"),
                        row.getInt("days_overdue")));
    }

    /** The fines a member has run up over all their late returns, in cents. */
    public int totalFinesCents(long memberId) {
        return jdbc.queryOne(
                        "SELECT coalesce(sum(fine_cents), 0) FROM loan WHERE member_id = ?",
                        row -> row.getInt(1),
                        memberId)
                .orElseThrow();
    }

    private static int fineCents(Instant dueAt, Instant returnedAt) {
        long daysLate = Math.max(0, Duration.between(dueAt, returnedAt).toDays());
        return (int) Math.min(daysLate * FINE_PER_DAY_CENTS, MAX_FINE_CENTS);
    }

    private static void lockMemberAllowedToBorrow(Jdbc tx, long memberId) {
        boolean suspended = tx.queryOne(
                        "SELECT suspended FROM member WHERE id = ? FOR UPDATE", row -> row.getBoolean(1), memberId)
                .orElseThrow(() -> NotFoundException.member(memberId));
        if (suspended) {
            throw new LoanRefusedException(Reason.MEMBER_SUSPENDED, "Member " + memberId + " is suspended");
        }
        long openLoans = tx.queryOne(
                        "SELECT count(*) FROM loan WHERE member_id = ? AND returned_at IS NULL",
                        row -> row.getLong(1),
                        memberId)
                .orElseThrow();
        if (openLoans >= MAX_OPEN_LOANS) {
            throw new LoanRefusedException(
                    Reason.LOAN_LIMIT_REACHED,
                    "Member " + memberId + " already holds " + openLoans + " books, the most allowed");
        }
    }

    private static long lockBookAndFindCopyOnShelf(Jdbc tx, long bookId) {
        String title = tx.queryOne("SELECT title FROM book WHERE id = ? FOR UPDATE", row -> row.getString(1), bookId)
                .orElseThrow(() -> NotFoundException.book(bookId));
        return tx.queryOne(COPY_ON_SHELF, row -> row.getLong(1), bookId)
                .orElseThrow(() -> new LoanRefusedException(
                        Reason.NO_COPY_AVAILABLE, "Every copy of '" + title + "' is lent out"));
    }

    /** Now, to the microsecond PostgreSQL keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Loan loan(ResultSet row) throws SQLException {
        return new Loan(
                row.getLong("id"),
                row.getLong("member_id"),
                row.getLong("book_id"),
                row.getLong("copy_id"),
                Jdbc.instant(row, "borrowed_at"),
                Jdbc.instant(row, "due_at"));
    }

    private record LoanDates(Instant dueAt, Instant returnedAt) {}
}
