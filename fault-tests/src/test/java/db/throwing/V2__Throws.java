package db.throwing;

import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** A Java migration that fails, counting its runs in this JVM. */
public class V2__Throws extends BaseJavaMigration {

    public static final AtomicInteger RUNS = new AtomicInteger();

    @Override
    public void migrate(Context context) {
        RUNS.incrementAndGet();
        throw new IllegalStateException("deliberately failing Java migration");
    }
}
