package org.isolatedpg.junit;

import java.util.Optional;
import java.util.function.Supplier;
import org.isolatedpg.core.ReleaseReport;
import org.isolatedpg.core.TestDatabase;

/**
 * The test database of one scope (a test method, or a class with per-class isolation), kept in that scope's store.
 * Every parameter resolved in the scope gets the same database; closing the scope releases it, pass or fail.
 */
final class LeaseHolder implements AutoCloseable {

    private TestDatabase database;
    private ReleaseReport report;

    /** The scope's database, leased on first use. */
    synchronized TestDatabase get(Supplier<TestDatabase> lease) {
        if (database == null) {
            database = lease.get();
        }
        return database;
    }

    /** Releases the database if one was leased; empty when there was none. */
    synchronized Optional<ReleaseReport> release() {
        if (database != null && report == null) {
            report = database.release();
        }
        return Optional.ofNullable(report);
    }

    @Override
    public void close() {
        release();
    }
}
