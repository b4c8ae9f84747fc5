package db.counted;

import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** Counts its runs in this JVM, and takes a while, so that concurrent builders overlap. */
public class V2__CountedAndSlow extends BaseJavaMigration {

    public static final AtomicInteger RUNS = new AtomicInteger();

    @Override
    public void migrate(Context context) throws Exception {
        RUNS.incrementAndGet();
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("SELECT pg_sleep(1)");
        }
    }
}
