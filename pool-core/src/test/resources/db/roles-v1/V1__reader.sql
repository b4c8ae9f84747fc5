-- Written as many real projects write it: plain CREATE ROLE / CREATE USER, which fail when the role exists.
CREATE ROLE ${reader};
CREATE USER ${login} PASSWORD '${password}';
CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL, visible boolean NOT NULL);
INSERT INTO item VALUES (1, 'public', true), (2, 'hidden', false);
GRANT SELECT ON item TO ${reader};
ALTER TABLE item ENABLE ROW LEVEL SECURITY;
CREATE POLICY reader_sees_visible ON item FOR SELECT TO ${reader} USING (visible);
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ${reader};
