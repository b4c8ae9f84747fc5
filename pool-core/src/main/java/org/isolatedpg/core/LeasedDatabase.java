package org.isolatedpg.core;

import javax.sql.DataSource;
import org.isolatedpg.core.internal.pool.ClonePool;
import org.isolatedpg.core.internal.pool.Lease;

/** The {@link TestDatabase} a pool hands out: a lease, given back to its pool once. */
final class LeasedDatabase implements TestDatabase {

    private final ClonePool pool;
    private final Lease lease;
    private ReleaseReport report; // guarded by this

    LeasedDatabase(ClonePool pool, Lease lease) {
        this.pool = pool;
        this.lease = lease;
    }

    @Override
    public String name() {
        return lease.name();
    }

    @Override
    public String jdbcUrl() {
        return lease.jdbcUrl();
    }

    @Override
    public String username() {
        return lease.username();
    }

    @Override
    public String password() {
        return lease.password();
    }

    @Override
    public DataSource dataSource() {
        return lease.dataSource();
    }

    @Override
    public synchronized ReleaseReport release() {
        if (report == null) {
            report = pool.release(lease);
        }
        return report;
    }

    @Override
    public synchronized ReleaseReport releaseAfterFailure(String test) {
        if (test == null || test.isBlank()) {
            throw new IllegalArgumentException("Name the test that failed, such as com.acme.OrderTests#placesOrder");
        }
        if (report == null) {
            report = pool.releaseFailed(lease, test);
        }
        return report;
    }

    @Override
    public String toString() {
        return "TestDatabase[" + lease.name() + "]";
    }
}
