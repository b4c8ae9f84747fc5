package org.isolatedpg.core.internal.liquibase;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.ChangeSet.ExecType;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;

/** Counts the changesets an update runs, and remembers the one that failed, so the failure can name it. */
final class ChangesetTracker extends AbstractChangeExecListener {

    private final AtomicInteger ran = new AtomicInteger();
    private final AtomicReference<String> failed = new AtomicReference<>();

    /** The changesets run, including those run again ({@code runAlways}, {@code runOnChange}). */
    int ran() {
        return ran.get();
    }

    /** The changeset that failed, as {@code changeset <file>::<id>::<author>}; empty when none did. */
    Optional<String> failedStep() {
        return Optional.ofNullable(failed.get());
    }

    @Override
    public void ran(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, ExecType execType) {
        if (execType == ExecType.EXECUTED || execType == ExecType.RERAN) {
            ran.incrementAndGet();
        }
    }

    @Override
    public void runFailed(
            ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {
        failed.compareAndSet(null, step(changeSet));
    }

    static String step(ChangeSet changeSet) {
        return "changeset " + changeSet.getFilePath() + "::" + changeSet.getId() + "::" + changeSet.getAuthor();
    }
}
