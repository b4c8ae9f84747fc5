-- Waits for every transaction holding a snapshot in this database: a builder waiting here would deadlock (40P01).
CREATE INDEX CONCURRENTLY marker_owner ON marker (owner);
