CREATE TABLE label (id int PRIMARY KEY, title text NOT NULL);
INSERT INTO label VALUES (1, 'added in v3');
