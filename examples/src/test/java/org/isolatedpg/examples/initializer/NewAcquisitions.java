package org.isolatedpg.examples.initializer;

import java.util.List;
import javax.sql.DataSource;
import org.isolatedpg.core.TemplateInitializer;
import org.isolatedpg.examples.library.BookRepository;

// tag::initializer[]
/** The books the library bought this year, added to the template through the application's own code. */
public class NewAcquisitions implements TemplateInitializer {

    @Override
    public void initialize(DataSource dataSource) {
        BookRepository books = new BookRepository(dataSource);
        books.add("9780135957059", "The Pragmatic Programmer", List.of("David Thomas", "Andrew Hunt"), 2);
        books.add("9781449373320", "Designing Data-Intensive Applications", List.of("Martin Kleppmann"), 1);
    }

    @Override
    public String version() {
        return "2026"; // BookRepository is not in the fingerprint: change this when what it writes changes
    }
}
// end::initializer[]
