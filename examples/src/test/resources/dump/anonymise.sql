-- Runs on the template right after production.sql: no name, e-mail address, phone number, note or street from
-- production reaches a test. Ids, dates, cities, orders and their amounts stay, so reports and queries still work.
UPDATE customer
SET name  = 'Customer ' || id,
    email = 'customer' || id || '@example.com',
    phone = CASE WHEN phone IS NOT NULL THEN '+44 7700 900000' END,
    note  = NULL;

UPDATE customer_order
SET delivery_street = id || ' Example Street';
