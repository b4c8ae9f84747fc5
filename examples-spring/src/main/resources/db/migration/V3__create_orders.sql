CREATE SEQUENCE purchase_order_id_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE order_line_id_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE purchase_order (
    id          bigint        PRIMARY KEY,
    customer_id bigint        NOT NULL REFERENCES customer (id),
    status      varchar(20)   NOT NULL CHECK (status IN ('PLACED', 'CANCELLED')),
    placed_at   timestamptz   NOT NULL,
    total       numeric(12,2) NOT NULL CHECK (total >= 0)
);
CREATE INDEX purchase_order_customer_idx ON purchase_order (customer_id);

CREATE TABLE order_line (
    id         bigint        PRIMARY KEY,
    order_id   bigint        NOT NULL REFERENCES purchase_order (id) ON DELETE CASCADE,
    product_id bigint        NOT NULL REFERENCES product (id),
    quantity   integer       NOT NULL CHECK (quantity > 0),
    unit_price numeric(10,2) NOT NULL
);
CREATE INDEX order_line_order_idx ON order_line (order_id);
