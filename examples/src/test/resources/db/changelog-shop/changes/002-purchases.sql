--liquibase formatted sql

--changeset shop:create-purchase
CREATE TABLE purchase (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_email text        NOT NULL,
    placed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE purchase_line (
    purchase_id bigint  NOT NULL REFERENCES purchase ON DELETE CASCADE,
    product_id  bigint  NOT NULL REFERENCES product,
    quantity    integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (purchase_id, product_id)
);
--rollback DROP TABLE purchase_line; DROP TABLE purchase;

--changeset shop:create-purchase-total
CREATE VIEW purchase_total AS
SELECT l.purchase_id, sum(l.quantity * p.price_cents) AS total_cents
FROM purchase_line l
JOIN product p ON p.id = l.product_id
GROUP BY l.purchase_id;
--rollback DROP VIEW purchase_total;
