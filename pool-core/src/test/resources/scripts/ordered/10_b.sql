CREATE TABLE run_log (n serial PRIMARY KEY, script text NOT NULL);
INSERT INTO run_log (script) VALUES ('10_b');
