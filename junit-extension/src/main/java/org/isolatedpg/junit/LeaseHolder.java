package org.isolatedpg.junit;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.isolatedpg.core.ReleaseReport;
import org.isolatedpg.core.TestDatabase;

/**
 * The test database of one scope (a test method, or a class with per-class isolation), kept in that scope's store.
 * Every parameter resolved in the scope gets the same database; closing the scope releases it, pass or fail. A
 * database whose scope saw a test fail is released as failed, which keeps it for a look (see
 * {@link TestDatabase#releaseAfterFailure(String)}).
 */
final class LeaseHolder implements AutoCloseable {

    private TestDatabase database;
    private ReleaseReport report;
    private final Set<String> failedTests = new LinkedHashSet<>();

    /** The scope's database, leased on first use. */
    synchronized TestDatabase get(Supplier<TestDatabase> lease) {
        if (database == null) {
            database = lease.get();
        }
        return database;
    }

    /** Notes that {@code test}, which used this database, failed. */
    synchronized void failed(String test) {
        failedTests.add(test);
    }

    /** Releases the database if one was leased, as failed if a test of the scope failed; empty when there was none. */
    synchronized Optional<ReleaseReport> release() {
        if (database != null && report == null) {
            report = failedTests.isEmpty()
                    ? database.release()
                    : database.releaseAfterFailure(String.join(", ", failedTests));
        }
        return Optional.ofNullable(report);
    }

    @Override
    public void close() {
        release();
    }
}
