CREATE TABLE member (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name      text    NOT NULL CHECK (name <> ''),
    email     text    NOT NULL CHECK (email LIKE '%_@_%'),
    joined_on date    NOT NULL DEFAULT current_date,
    suspended boolean NOT NULL DEFAULT false
);

-- One member per email address, however it is capitalised.
CREATE UNIQUE INDEX member_email_key ON member (lower(email));
