-- How many copies of each book are on the shelf right now.
CREATE VIEW available_books AS
SELECT b.id                                  AS book_id,
       b.isbn,
       b.title,
       count(c.id)                           AS total_copies,
       count(c.id) FILTER (WHERE l.id IS NULL) AS available_copies
FROM book b
LEFT JOIN copy c ON c.book_id = b.id
LEFT JOIN loan l ON l.copy_id = c.id AND l.returned_at IS NULL
GROUP BY b.id;

-- Open loans past their due date, the most overdue first.
CREATE VIEW overdue_loans AS
SELECT l.id                                         AS loan_id,
       m.id                                         AS member_id,
       m.name                                       AS member_name,
       m.email                                      AS member_email,
       b.title,
       l.due_at,
       extract(day FROM now() - l.due_at)::integer  AS days_overdue
FROM loan l
JOIN member m ON m.id = l.member_id
JOIN copy c ON c.id = l.copy_id
JOIN book b ON b.id = c.book_id
WHERE l.returned_at IS NULL
  AND l.due_at < now()
ORDER BY l.due_at;
