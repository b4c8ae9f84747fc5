package org.isolatedpg.spring;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.isolatedpg.core.ReleaseReport;
import org.isolatedpg.core.TestDatabase;

/**
 * One test's database as the application context sees it: the database, who it belongs to, and the token that
 * requests to the embedded web server carry to reach it.
 */
final class TestBinding {

    private final String testName;
    private final TestDatabase database;
    private volatile boolean ended;
    private final Set<String> failedTests = new LinkedHashSet<>(); // guarded by this

    TestBinding(String testName, TestDatabase database) {
        this.testName = testName;
        this.database = database;
    }

    /** The token a request carries in {@link TestDatabaseHeader#NAME}: the database's name, unique on the server. */
    String token() {
        return database.name();
    }

    String testName() {
        return testName;
    }

    /** The database, as long as its test runs. */
    TestDatabase database() {
        if (ended) {
            throw new IllegalStateException("isolated-postgres: ["
                    + Thread.currentThread().getName()
                    + "] asked for the database of " + testName + ", which has ended and whose database "
                    + database.name() + " is released. Work a test starts on other threads must finish before the"
                    + " test does: wait for it in the test.");
        }
        return database;
    }

    /** Notes that {@code test}, which used this database, failed: the database is then kept for a look. */
    synchronized void failed(String test) {
        failedTests.add(test);
    }

    /**
     * Ends the binding, so that late users fail clearly, and releases the database (as failed, which keeps it for a
     * look, if a test that used it failed); empty if it was released.
     */
    synchronized Optional<ReleaseReport> release() {
        if (ended) {
            return Optional.empty();
        }
        ended = true;
        return Optional.of(
                failedTests.isEmpty()
                        ? database.release()
                        : database.releaseAfterFailure(String.join(", ", failedTests)));
    }
}
