INSERT INTO run_log (script) VALUES ('2_a');
