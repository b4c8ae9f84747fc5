-- A second template for KeepFailedTests: the same table as db/pooltest's, without its rows.
CREATE TABLE item (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE
);
