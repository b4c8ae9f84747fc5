-- Late returns are fined; the fine is fixed when the book comes back.
ALTER TABLE loan
    ADD COLUMN fine_cents integer NOT NULL DEFAULT 0 CHECK (fine_cents >= 0);
