-- The second statement fails: the first one stays, the third never runs.
INSERT INTO before_failure VALUES (1);

INSERT INTO no_such_table VALUES (1);
CREATE TABLE after_failure_same_file (id int);
