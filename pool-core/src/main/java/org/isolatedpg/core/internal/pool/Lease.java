package org.isolatedpg.core.internal.pool;

import javax.sql.DataSource;

/**
 * A clone handed to one test: what the test needs to reach it. A value: the pool that made it takes it back through
 * {@link ClonePool#release(Lease)}.
 *
 * @param name the database's name
 * @param jdbcUrl its URL, without credentials
 * @param username the role to connect as
 * @param password that role's password; never in {@link #toString()}
 * @param dataSource the clone's connection pool
 */
public record Lease(String name, String jdbcUrl, String username, String password, DataSource dataSource) {

    @Override
    public String toString() {
        return "Lease[" + name + "]";
    }
}
