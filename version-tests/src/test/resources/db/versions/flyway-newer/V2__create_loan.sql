CREATE TABLE loan (isbn text REFERENCES book, member text NOT NULL, PRIMARY KEY (isbn, member));
