-- Hibernate takes ids 50 at a time (allocationSize = 50), so the sequence hands them out 50 at a time too: Hibernate's
-- start-up check refuses a sequence whose increment differs.
CREATE SEQUENCE customer_id_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE customer (
    id         bigint       PRIMARY KEY,
    name       varchar(200) NOT NULL,
    email      varchar(320) NOT NULL,
    created_at timestamptz  NOT NULL
);

-- One account per address, whatever its case.
CREATE UNIQUE INDEX customer_email_key ON customer (lower(email));
