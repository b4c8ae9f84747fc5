package org.isolatedpg.examples.initializer;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.isolatedpg.examples.library.Book;
import org.isolatedpg.examples.library.BookRepository;
import org.isolatedpg.junit.IsolatedPostgres;
import org.junit.jupiter.api.Test;

/** The library's migrations, then Java code adding books: both run once, into the template. */
// tag::initializer-test[]
@IsolatedPostgres(migrations = "db/migration", initializer = NewAcquisitions.class)
class NewAcquisitionsTests {

    @Test
    void theNewBooksAreOnTheShelf(DataSource dataSource) {
        BookRepository books = new BookRepository(dataSource);

        Book ddia = books.findByIsbn("9781449373320").orElseThrow();

        assertThat(ddia.authors()).containsExactly("Martin Kleppmann");
        assertThat(books.availableCopies(ddia.id())).isEqualTo(1);
    }
    // end::initializer-test[]

    @Test
    void theMigrationsSeedDataIsStillThere(DataSource dataSource) {
        BookRepository books = new BookRepository(dataSource);

        assertThat(books.findByAuthor("Joshua Bloch")).hasSize(2);
        assertThat(books.findByAuthor("Andrew Hunt"))
                .singleElement()
                .satisfies(book -> assertThat(book.title()).isEqualTo("The Pragmatic Programmer"));
    }
}
