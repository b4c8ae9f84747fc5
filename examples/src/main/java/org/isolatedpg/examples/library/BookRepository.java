package org.isolatedpg.examples.library;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The catalogue: books, their authors and how many copies the library owns. */
public final class BookRepository {

    private static final String SELECT_BOOK = """
            SELECT b.id, b.isbn, b.title, array_agg(a.name ORDER BY ba.position) AS authors
            FROM book b
            JOIN book_author ba ON ba.book_id = b.id
            JOIN author a ON a.id = ba.author_id
            """;

    /** Adds an author, or finds the one of that name: either way returns the id. */
    private static final String UPSERT_AUTHOR = """
            INSERT INTO author (name) VALUES (?)
            ON CONFLICT (name) DO UPDATE SET name = excluded.name
            RETURNING id""";

    private static final String INSERT_COPIES = "INSERT INTO copy (book_id) SELECT ? FROM generate_series(1, ?)";

    private final Jdbc jdbc;

    public BookRepository(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Adds a book with its authors (in cover order) and a number of copies, all or nothing. */
    public Book add(String isbn, String title, List<String> authors, int copies) {
        if (authors.isEmpty() || copies < 0) {
            throw new IllegalArgumentException(
                    "A book needs at least one author and zero or more copies, got " + authors + " and " + copies);
        }
        return jdbc.inTransaction(tx -> {
            long bookId = tx.queryOne(
                            "INSERT INTO book (isbn, title) VALUES (?, ?) RETURNING id",
                            row -> row.getLong(1),
                            isbn,
                            title)
                    .orElseThrow();
            for (int i = 0; i < authors.size(); i++) {
                long authorId = tx.queryOne(UPSERT_AUTHOR, row -> row.getLong(1), authors.get(i))
                        .orElseThrow();
                tx.update(
                        "INSERT INTO book_author (book_id, author_id, position) VALUES (?, ?, ?)",
                        bookId,
                        authorId,
                        i + 1);
            }
            tx.update(INSERT_COPIES, bookId, copies);
            return new Book(bookId, isbn, title, authors);
        });
    }

    /** Adds copies of a book already in the catalogue. */
    public void addCopies(long bookId, int copies) {
        findById(bookId).orElseThrow(() -> NotFoundException.book(bookId));
        jdbc.update(INSERT_COPIES, bookId, copies);
    }

    public Optional<Book> findById(long id) {
        return jdbc.queryOne(SELECT_BOOK + "WHERE b.id = ? GROUP BY b.id", BookRepository::book, id);
    }

    public Optional<Book> findByIsbn(String isbn) {
        return jdbc.queryOne(SELECT_BOOK + "WHERE b.isbn = ? GROUP BY b.id", BookRepository::book, isbn);
    }

    /** The books an author wrote or co-wrote, by title. */
    public List<Book> findByAuthor(String author) {
        String byAuthor = """
                WHERE b.id IN (SELECT ba.book_id FROM book_author ba JOIN author a ON a.id = ba.author_id
                               WHERE a.name = ?)
                GROUP BY b.id
                ORDER BY b.title""";
        return jdbc.query(SELECT_BOOK + byAuthor, BookRepository::book, author);
    }

    /** How many copies of a book are on the shelf now. */
    public int availableCopies(long bookId) {
        return jdbc.queryOne(
                        "SELECT available_copies FROM available_books WHERE book_id = ?", row -> row.getInt(1), bookId)
                .orElseThrow(() -> NotFoundException.book(bookId));
    }

    private static Book book(ResultSet row) throws SQLException {
        String[] authors = (String[]) row.getArray("authors").getArray();
        return new Book(row.getLong("id"), row.getString("isbn"), row.getString("title"), List.of(authors));
    }
}
