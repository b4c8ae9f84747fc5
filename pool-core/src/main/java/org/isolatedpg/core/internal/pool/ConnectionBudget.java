package org.isolatedpg.core.internal.pool;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.Setting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attachment's connection budget: the connections its clones may hold on the server, planned so that the server
 * never answers "too many clients" (53300). It is derived from {@code max_connections}, less the slots the server
 * reserves and those isolated-postgres holds for itself (owner session, admin pool, a build) and those other clients
 * held when the attachment started.
 *
 * <p>Who holds permits, one per connection that may exist:
 *
 * <ul>
 *   <li>a ready clone holds one for its warm connection, taken only while enough is left for a whole lease: a clone
 *       made while the budget is tight is made cold (its pool opens no connection until the test asks);
 *   <li>a lease holds its data source's whole maximum pool size, taken at once when it is handed out (what its clone
 *       held counts), and gives everything back on release.
 * </ul>
 *
 * <p>A lease takes all its permits before its test runs and a test never asks for more, so no test holds permits
 * while it waits for others: tests cannot deadlock on the budget. Waiting is first come, first served (a fair
 * semaphore) and bounded by the lease's deadline.
 */
public final class ConnectionBudget {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionBudget.class);

    private final int total;
    private final Semaphore permits;
    private final String origin;

    /**
     * @param total how many connections clones may hold at once, at least 1
     * @param origin how the total was derived, for messages
     */
    public ConnectionBudget(int total, String origin) {
        this.total = Math.max(1, total);
        this.permits = new Semaphore(this.total, true);
        this.origin = origin;
    }

    /**
     * The maximum pool size of a lease's data source. A value someone set that exceeds the whole budget is refused; the
     * default gives way to a small server (its {@code max_connections}), since nobody asked for it.
     */
    public int perLease(Setting<Integer> maximumPoolSize) {
        int asked = maximumPoolSize.value();
        if (asked <= total) {
            return asked;
        }
        if (!"default".equals(maximumPoolSize.source())) {
            throw new InvalidConfigurationException("Invalid value for " + maximumPoolSize + ": a test's DataSource may"
                    + " open more connections than the server has for all tests (" + snapshot() + "). Lower it, or"
                    + " raise the server's max_connections.");
        }
        LOG.info(
                "isolatedpg - a test's DataSource opens at most {} connections, not {}: the server has no more for"
                        + " tests ({})",
                total,
                asked,
                snapshot());
        return total;
    }

    /** One permit for a ready clone's warm connection, if that still leaves room for a whole lease of {@code lease}. */
    public boolean tryTakeWarm(int lease) {
        if (permits.availablePermits() - 1 < lease || permits.hasQueuedThreads()) {
            return false;
        }
        return permits.tryAcquire();
    }

    /** Takes {@code count} permits, waiting first come, first served until {@code deadlineNanos} (System.nanoTime). */
    public boolean take(int count, long deadlineNanos) throws InterruptedException {
        if (count <= 0) {
            return true;
        }
        if (count > total) {
            throw new IllegalArgumentException("A lease needs " + count + " connections, more than the whole budget of "
                    + total + " (" + origin + ")");
        }
        return permits.tryAcquire(count, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    public void give(int count) {
        if (count > 0) {
            permits.release(count);
        }
    }

    public int total() {
        return total;
    }

    /** How the total was derived: {@code "max_connections 100 less 3 reserved, …"}. */
    public String origin() {
        return origin;
    }

    /** {@code "7 of 8 connections in use, 3 tests waiting (max_connections 20 less …)"}. */
    public String snapshot() {
        return (total - permits.availablePermits()) + " of " + total + " connections in use, "
                + permits.getQueueLength() + " leases waiting (" + origin + ")";
    }
}
