-- What each product sold in orders that still stand (cancelled ones do not count); read with plain SQL by SalesReport.
CREATE VIEW product_sales AS
SELECT p.sku,
       p.name,
       coalesce(sum(l.quantity), 0)::integer                      AS units,
       coalesce(sum(l.quantity * l.unit_price), 0)::numeric(12,2) AS revenue
FROM product p
LEFT JOIN (order_line l JOIN purchase_order o ON o.id = l.order_id AND o.status = 'PLACED')
       ON l.product_id = p.id
GROUP BY p.id, p.sku, p.name;
