-- The catalogue every environment starts with. The ids come from the sequence, as Hibernate's would: each nextval takes a
-- block of 50, so the application's own ids never meet these.
INSERT INTO product (id, sku, name, unit_price, stock) VALUES
    (nextval('product_id_seq'), 'KB-101', 'Mechanical keyboard', 89.00, 25),
    (nextval('product_id_seq'), 'MS-202', 'Wireless mouse',      29.50, 40),
    (nextval('product_id_seq'), 'MN-303', '27-inch monitor',    249.00, 10),
    (nextval('product_id_seq'), 'CB-404', 'USB-C cable',          9.99, 200),
    (nextval('product_id_seq'), 'HS-505', 'Headset',             59.00, 3);
