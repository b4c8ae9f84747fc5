-- Slow on purpose: a test kills the JVM building this template.
SELECT pg_sleep(2);
