package org.isolatedpg.core;

import java.util.List;

/**
 * What releasing a {@link TestDatabase} found.
 *
 * @param database the clone's name
 * @param leakedConnections a description of each connection the test left open (borrowed from the data source and
 *     never closed, or opened directly on the database's URL); they were closed or terminated
 * @since 0.1
 */
public record ReleaseReport(String database, List<String> leakedConnections) {

    public ReleaseReport {
        leakedConnections = List.copyOf(leakedConnections);
    }

    /** Whether the test left any connection open. */
    public boolean hasLeaks() {
        return !leakedConnections.isEmpty();
    }
}
