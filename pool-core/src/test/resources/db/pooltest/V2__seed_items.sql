INSERT INTO item (name) VALUES ('first'), ('second');
