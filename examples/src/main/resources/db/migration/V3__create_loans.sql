CREATE TABLE loan (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    copy_id     bigint      NOT NULL REFERENCES copy,
    member_id   bigint      NOT NULL REFERENCES member,
    borrowed_at timestamptz NOT NULL,
    due_at      timestamptz NOT NULL,
    returned_at timestamptz,
    CHECK (due_at > borrowed_at),
    CHECK (returned_at >= borrowed_at)
);

-- A copy is lent to at most one member at a time.
CREATE UNIQUE INDEX loan_one_open_loan_per_copy ON loan (copy_id) WHERE returned_at IS NULL;

-- Open loans are looked up by member (the loan limit) and by due date (overdue loans).
CREATE INDEX loan_open_by_member_idx ON loan (member_id) WHERE returned_at IS NULL;
CREATE INDEX loan_open_by_due_at_idx ON loan (due_at) WHERE returned_at IS NULL;
