-- In a sub-folder: a folder location does not read it (this would fail, as run_log does not exist yet).
INSERT INTO run_log (script) VALUES ('sub/00_first');
