CREATE ROLE ${reader};
CREATE TABLE item (id int PRIMARY KEY);
GRANT SELECT ON item TO ${reader};
