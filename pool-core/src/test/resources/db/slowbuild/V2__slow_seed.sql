-- Slow on purpose: fault tests end the session that runs it.
SELECT pg_sleep(3);
INSERT INTO gadget VALUES (1, 'first');
