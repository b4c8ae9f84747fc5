CREATE TABLE marker (id int PRIMARY KEY);
