CREATE INDEX loan_member ON loan (member);
INSERT INTO book VALUES ('978-1617294945', 'Spring in Action');
