package org.isolatedpg.core.internal.pool;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.isolatedpg.core.ReleaseReport;
import org.isolatedpg.core.TestDatabase;
import org.isolatedpg.core.internal.hikari.ConnectionPools;

/** A clone held by one test. Released once; later releases return the first report. */
final class Lease implements TestDatabase {

    private final ClonePool pool;
    private final ReadyClone clone;
    private ReleaseReport report;

    Lease(ClonePool pool, ReadyClone clone) {
        this.pool = pool;
        this.clone = clone;
    }

    @Override
    public String name() {
        return clone.name();
    }

    @Override
    public String jdbcUrl() {
        return pool.server().jdbcUrl(clone.name());
    }

    @Override
    public String username() {
        return pool.server().user();
    }

    @Override
    public String password() {
        return pool.server().password();
    }

    @Override
    public DataSource dataSource() {
        return clone.dataSource();
    }

    @Override
    public synchronized ReleaseReport release() {
        if (report == null) {
            List<String> leaks = new ArrayList<>();
            int borrowed = ConnectionPools.activeConnections(clone.dataSource());
            if (borrowed > 0) {
                leaks.add(borrowed + " connection(s) borrowed from the test's DataSource and never closed");
            }
            ConnectionPools.close(clone.dataSource());
            List<String> foreign = pool.foreignConnections(clone.name());
            leaks.addAll(foreign);
            report = new ReleaseReport(clone.name(), leaks);
            pool.recreate(this, borrowed + foreign.size());
        }
        return report;
    }

    @Override
    public String toString() {
        return "TestDatabase[" + clone.name() + "]";
    }
}
