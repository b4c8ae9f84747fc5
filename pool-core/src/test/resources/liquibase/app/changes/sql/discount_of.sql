CREATE FUNCTION discount_of(customer_id bigint) RETURNS int LANGUAGE sql STABLE AS $$
    SELECT t.discount FROM customer c JOIN tier t ON t.code = c.tier WHERE c.id = customer_id
$$;
