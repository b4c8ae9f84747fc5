-- A fixture for SalesReportTests, loaded with Spring's @Sql into the test's own database.
WITH grace AS (
    INSERT INTO customer (id, name, email, created_at)
    VALUES (nextval('customer_id_seq'), 'Grace Hopper', 'grace@example.org', now())
    RETURNING id
), placed AS (
    INSERT INTO purchase_order (id, customer_id, status, placed_at, total)
    SELECT nextval('purchase_order_id_seq'), id, 'PLACED', now(), 118.00 FROM grace
    RETURNING id
)
INSERT INTO order_line (id, order_id, product_id, quantity, unit_price)
SELECT nextval('order_line_id_seq'), placed.id, product.id, 4, product.unit_price
FROM placed, product
WHERE product.sku = 'MS-202';
