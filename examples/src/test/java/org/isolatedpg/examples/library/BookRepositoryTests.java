package org.isolatedpg.examples.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.isolatedpg.examples.library.SeedData.JAVA_CONCURRENCY_IN_PRACTICE;

import java.util.List;
import javax.sql.DataSource;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@IsolatedPostgres
class BookRepositoryTests {

    private static final String SICP = "9780262510875";

    // tag::before-each[]
    private BookRepository books;

    @BeforeEach
    void createRepository(DataSource dataSource) {
        books = new BookRepository(dataSource);
    }
    // end::before-each[]

    @Test
    void addingABookKeepsItsAuthorsInCoverOrder() {
        books.add(
                SICP,
                "Structure and Interpretation of Computer Programs",
                List.of("Harold Abelson", "Gerald Sussman"),
                2);

        assertThat(books.findByIsbn(SICP))
                .hasValueSatisfying(
                        book -> assertThat(book.authors()).containsExactly("Harold Abelson", "Gerald Sussman"));
    }

    @Test
    void authorsAreSharedBetweenTheirBooks() {
        books.add("9780321336781", "Java Puzzlers", List.of("Joshua Bloch", "Neal Gafter"), 1);

        assertThat(books.findByAuthor("Joshua Bloch"))
                .extracting(Book::title)
                .containsExactly("Effective Java", "Java Concurrency in Practice", "Java Puzzlers");
    }

    @Test
    void theDatabaseRejectsAnIsbnWithHyphens() {
        assertThatExceptionOfType(DataAccessException.class)
                .isThrownBy(() -> books.add("978-0-262-51087-5", "SICP", List.of("Harold Abelson"), 1))
                .withMessageContaining("book_isbn_check")
                .extracting(DataAccessException::sqlState)
                .isEqualTo("23514"); // check_violation
    }

    @Test
    void aBookThatCannotBeAddedLeavesNothingBehind() {
        // The book row goes in first; the empty author name then breaks a CHECK constraint and rolls it all back.
        assertThatExceptionOfType(DataAccessException.class)
                .isThrownBy(() -> books.add(SICP, "SICP", List.of("Harold Abelson", ""), 1));

        assertThat(books.findByIsbn(SICP)).isEmpty();
        assertThat(books.findByAuthor("Harold Abelson")).isEmpty();
    }

    @ParameterizedTest(name = "{1}: {2} on the shelf")
    @CsvSource({
        "1, Introduction to Algorithms,   3",
        "2, Design Patterns,              2",
        "3, Effective Java,               2",
        "4, Java Concurrency in Practice, 0",
        "5, The Mythical Man-Month,       1"
    })
    void everySeedBookHasItsCopiesOnTheShelfExceptTheOneLentOut(long bookId, String title, int availableCopies) {
        assertThat(books.findById(bookId))
                .hasValueSatisfying(book -> assertThat(book.title()).isEqualTo(title));
        assertThat(books.availableCopies(bookId)).isEqualTo(availableCopies);
    }

    @Test
    void newCopiesGoStraightOnTheShelf() {
        books.addCopies(JAVA_CONCURRENCY_IN_PRACTICE, 2);

        assertThat(books.availableCopies(JAVA_CONCURRENCY_IN_PRACTICE)).isEqualTo(2);
    }
}
