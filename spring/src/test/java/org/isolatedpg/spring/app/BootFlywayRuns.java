package org.isolatedpg.spring.app;

import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.springframework.stereotype.Component;

/**
 * Counts the times Spring Boot's Flyway starts to migrate: Boot hands callback beans to its own Flyway only, never to
 * the one that builds isolated-postgres' template.
 */
@Component
public class BootFlywayRuns implements Callback {

    static final AtomicInteger MIGRATIONS = new AtomicInteger();

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        MIGRATIONS.incrementAndGet();
    }

    @Override
    public String getCallbackName() {
        return "count Boot's Flyway runs";
    }
}
