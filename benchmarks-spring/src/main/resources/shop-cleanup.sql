-- After each test of TruncatingShopTests: empty every table and put the catalogue back as V4__seed_catalogue.sql left it.
TRUNCATE order_confirmation, order_line, purchase_order, customer, product;
INSERT INTO product (id, sku, name, unit_price, stock) VALUES
    (nextval('product_id_seq'), 'KB-101', 'Mechanical keyboard', 89.00, 25),
    (nextval('product_id_seq'), 'MS-202', 'Wireless mouse',      29.50, 40),
    (nextval('product_id_seq'), 'MN-303', '27-inch monitor',    249.00, 10),
    (nextval('product_id_seq'), 'CB-404', 'USB-C cable',          9.99, 200),
    (nextval('product_id_seq'), 'HS-505', 'Headset',             59.00, 3);
