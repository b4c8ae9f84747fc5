CREATE TABLE before_failure (id int);
