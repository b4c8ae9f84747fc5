-- Written after an order is placed, by a background task (OrderConfirmations): the outbox a mail sender would read.
CREATE TABLE order_confirmation (
    order_id     bigint      PRIMARY KEY REFERENCES purchase_order (id) ON DELETE CASCADE,
    reference    varchar(40) NOT NULL UNIQUE,
    confirmed_at timestamptz NOT NULL DEFAULT now()
);
