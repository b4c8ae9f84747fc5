-- A login created inside PL/pgSQL: when it fails, PostgreSQL echoes the statement, password and all.
DO $$
BEGIN
    CREATE USER ${login} PASSWORD '${password}';
END
$$;
