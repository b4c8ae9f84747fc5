CREATE TABLE author (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (name <> '')
);

CREATE TABLE book (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    isbn  text NOT NULL UNIQUE CONSTRAINT book_isbn_check CHECK (isbn ~ '^97[89][0-9]{10}$'),
    title text NOT NULL CHECK (title <> '')
);

CREATE TABLE book_author (
    book_id   bigint   NOT NULL REFERENCES book ON DELETE CASCADE,
    author_id bigint   NOT NULL REFERENCES author,
    position  smallint NOT NULL CHECK (position > 0),
    PRIMARY KEY (book_id, author_id),
    UNIQUE (book_id, position)
);

CREATE INDEX book_author_author_id_idx ON book_author (author_id);

-- The physical copies on the shelves: a book can be lent as many times at once as it has copies.
CREATE TABLE copy (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    book_id     bigint NOT NULL REFERENCES book ON DELETE CASCADE,
    acquired_on date   NOT NULL DEFAULT current_date
);

CREATE INDEX copy_book_id_idx ON copy (book_id);
