package org.isolatedpg.core.internal.pool;

import javax.sql.DataSource;

/**
 * A clone, the role its data source connects as, and its connection pool; a warm one holds an open connection, and a
 * permit of the budget for it.
 *
 * @param oid the database's OID, which follows it if a test renames it
 * @param password never in {@link #toString()}
 */
record ReadyClone(String name, long oid, String username, String password, DataSource dataSource, boolean warm) {

    @Override
    public String toString() {
        return "ReadyClone[" + name + "]";
    }
}
