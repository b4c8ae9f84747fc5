package org.isolatedpg.core.internal.pool;

import javax.sql.DataSource;

/**
 * A clone, the role its data source connects as, and its connection pool; a warm one holds an open connection, and a
 * permit of the budget for it.
 *
 * @param oid the database's OID, which follows it if a test renames it
 * @param password never in {@link #toString()}
 * @param sessionsLost how many owner sessions this JVM had lost when the clone was made (see {@code
 *     OwnerSession.sessionsLost()}): a loss since then may have been a server restart, which ends its warm connection
 * @param baseline the clone's state when it was made (see {@link UntouchedCheck}); null when it cannot be told, and
 *     such a clone is dropped after its test whatever the test did
 */
record ReadyClone(
        String name,
        long oid,
        String username,
        String password,
        DataSource dataSource,
        boolean warm,
        long sessionsLost,
        String baseline) {

    @Override
    public String toString() {
        return "ReadyClone[" + name + "]";
    }
}
