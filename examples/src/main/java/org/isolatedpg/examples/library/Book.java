package org.isolatedpg.examples.library;

import java.util.List;

/**
 * A title in the catalogue; the library may own several copies of it.
 *
 * @param isbn the 13-digit ISBN, without hyphens
 * @param authors the authors, in the order the cover names them
 */
public record Book(long id, String isbn, String title, List<String> authors) {

    public Book {
        authors = List.copyOf(authors);
    }
}
