CREATE TABLE book (isbn text PRIMARY KEY, title text NOT NULL);
INSERT INTO book VALUES ('978-0134685991', 'Effective Java');
