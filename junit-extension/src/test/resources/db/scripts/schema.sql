-- A project that keeps its schema in plain SQL files, run in the order the annotation names them.
CREATE TABLE book (
    isbn  text PRIMARY KEY,
    title text NOT NULL
);
CREATE FUNCTION book_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM book $$;
