CREATE TABLE after_failure (id int);
