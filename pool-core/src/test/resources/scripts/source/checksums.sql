-- One line per table (rows and an MD5 of its rows in a fixed order) and per sequence (its value), for the session
-- settings TimeZone=UTC, DateStyle=ISO: make-dumps.sh writes them to ../dumps/expected.txt from the source database,
-- and the tests compare them with the database a dump was loaded into.
SELECT line FROM (
    SELECT 'table ' || c.table_schema || '.' || c.table_name || ' ' || c.rows || ' ' || c.md5 AS line
    FROM (
        SELECT 'shop' AS table_schema, 'customer' AS table_name, count(*) AS rows,
               md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) AS md5 FROM shop.customer t
        UNION ALL
        SELECT 'shop', 'product', count(*), md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM shop.product t
        UNION ALL
        SELECT 'shop', 'orders', count(*), md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM shop.orders t
        UNION ALL
        SELECT 'shop', 'order_line', count(*),
               md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.order_id, t.line_no), '')) FROM shop.order_line t
        UNION ALL
        SELECT 'audit', 'event', count(*), md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.id), '')) FROM audit.event t
        UNION ALL
        SELECT 'shop', 'product_sales', count(*),
               md5(coalesce(string_agg(t::text, E'\n' ORDER BY t.product_id), '')) FROM shop.product_sales t
    ) c
    UNION ALL
    SELECT 'sequence ' || schemaname || '.' || sequencename || ' ' || coalesce(last_value::text, 'unset')
    FROM pg_sequences WHERE schemaname IN ('shop', 'audit')
) lines ORDER BY line COLLATE "C"
