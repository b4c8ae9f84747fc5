package org.isolatedpg.core.internal.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.isolatedpg.core.internal.hikari.ConnectionPools;
import org.isolatedpg.core.internal.sql.CloneState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether a test left its clone as it was made, so that the clone can go to the next test as it is, its warm
 * connection included, instead of being dropped and made again. See {@link CloneState} for what is compared and why
 * that is exact; this class owns the order of the steps, which the exactness rests on.
 */
final class UntouchedCheck {

    private static final Logger LOG = LoggerFactory.getLogger(UntouchedCheck.class);

    private UntouchedCheck() {}

    /**
     * Whether the clone {@code database} is as its baseline says. Every connection of its pool is reset first
     * ({@code DISCARD ALL}) and has its statistics flushed; one stays in the pool, warm, and the others are closed. A
     * pool with a connection still borrowed is not vouched for.
     */
    static boolean untouched(DataSource dataSource, String database, String baseline, String local)
            throws SQLException {
        List<Connection> connections = ConnectionPools.borrowAll(dataSource);
        if (connections.isEmpty()) {
            if (ConnectionPools.activeConnections(dataSource) > 0) {
                return false;
            }
            connections = new ArrayList<>(List.of(dataSource.getConnection())); // the test closed them all
        }
        try {
            List<Integer> pids = new ArrayList<>();
            for (Connection connection : connections) {
                CloneState.resetSession(connection);
                pids.add(CloneState.backendPid(connection));
            }
            for (Connection extra : connections.subList(1, connections.size())) {
                ConnectionPools.evict(dataSource, extra);
            }
            Connection kept = connections.get(0);
            connections = List.of(kept);
            if (CloneState.unchanged(kept, database, baseline, local, pids)) {
                CloneState.forgetOwnStatements(kept);
                return true;
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} changed: {}", database, CloneState.describe(kept, database, baseline));
            }
            for (String prepared : CloneState.preparedTransactions(kept)) {
                CloneState.rollbackPrepared(kept, prepared); // else the clone cannot be dropped
            }
            return false;
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }
}
