-- Every test database starts with this library. Identity columns number the rows in insertion order:
-- the tests refer to these rows by id (see SeedData in the tests).

INSERT INTO member (name, email, joined_on, suspended)
VALUES ('Ada Lovelace',    'ada@example.org',    '2019-12-10', false),  -- 1
       ('Grace Hopper',    'grace@example.org',  '2020-12-09', false),  -- 2
       ('Alan Turing',     'alan@example.org',   '2021-06-23', false),  -- 3
       ('Edsger Dijkstra', 'edsger@example.org', '2022-05-11', true);   -- 4, suspended

INSERT INTO book (isbn, title)
VALUES ('9780262033848', 'Introduction to Algorithms'),         -- 1
       ('9780201633610', 'Design Patterns'),                    -- 2
       ('9780134685991', 'Effective Java'),                     -- 3
       ('9780321349606', 'Java Concurrency in Practice'),       -- 4
       ('9780201835953', 'The Mythical Man-Month');             -- 5

INSERT INTO author (name)
VALUES ('Thomas H. Cormen'), ('Charles E. Leiserson'), ('Ronald L. Rivest'), ('Clifford Stein'),
       ('Erich Gamma'), ('Richard Helm'), ('Ralph Johnson'), ('John Vlissides'),
       ('Joshua Bloch'), ('Brian Goetz'), ('Tim Peierls'), ('Joseph Bowbeer'), ('David Holmes'), ('Doug Lea'),
       ('Frederick P. Brooks Jr.');

INSERT INTO book_author (book_id, author_id, position)
SELECT b.id, a.id, w.position
FROM (VALUES ('9780262033848', 'Thomas H. Cormen', 1), ('9780262033848', 'Charles E. Leiserson', 2),
             ('9780262033848', 'Ronald L. Rivest', 3), ('9780262033848', 'Clifford Stein', 4),
             ('9780201633610', 'Erich Gamma', 1), ('9780201633610', 'Richard Helm', 2),
             ('9780201633610', 'Ralph Johnson', 3), ('9780201633610', 'John Vlissides', 4),
             ('9780134685991', 'Joshua Bloch', 1),
             ('9780321349606', 'Brian Goetz', 1), ('9780321349606', 'Tim Peierls', 2),
             ('9780321349606', 'Joshua Bloch', 3), ('9780321349606', 'Joseph Bowbeer', 4),
             ('9780321349606', 'David Holmes', 5), ('9780321349606', 'Doug Lea', 6),
             ('9780201835953', 'Frederick P. Brooks Jr.', 1)) AS w (isbn, author, position)
JOIN book b ON b.isbn = w.isbn
JOIN author a ON a.name = w.author;

INSERT INTO copy (book_id, acquired_on)
SELECT b.id, '2020-01-06'
FROM book b
CROSS JOIN LATERAL generate_series(1, CASE b.isbn WHEN '9780262033848' THEN 3
                                                  WHEN '9780201633610' THEN 2
                                                  WHEN '9780134685991' THEN 2
                                                  ELSE 1 END)
ORDER BY b.id;

-- Grace has had the only copy of Java Concurrency in Practice for a month: it is two weeks overdue.
INSERT INTO loan (copy_id, member_id, borrowed_at, due_at)
SELECT c.id, m.id, now() - interval '30 days', now() - interval '16 days'
FROM copy c
JOIN book b ON b.id = c.book_id
JOIN member m ON m.email = 'grace@example.org'
WHERE b.isbn = '9780321349606';
