--liquibase formatted sql

--changeset library:2
INSERT INTO book (isbn, title) VALUES ('978-0134685991', 'Effective Java');
INSERT INTO book (isbn, title) VALUES ('978-1617294945', 'Spring in Action');
