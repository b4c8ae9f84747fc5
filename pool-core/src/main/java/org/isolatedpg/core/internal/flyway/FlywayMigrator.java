package org.isolatedpg.core.internal.flyway;

import java.util.concurrent.atomic.AtomicReference;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.isolatedpg.core.TemplateSpec;

/** Runs a template's Flyway migrations into a database. The only class that sees Flyway. */
public final class FlywayMigrator {

    private FlywayMigrator() {}

    /**
     * Migrates the database at {@code jdbcUrl} and returns the number of migrations executed.
     *
     * @throws MigrationFailedException naming the migration that failed, with Flyway's exception as the cause
     */
    public static int migrate(String jdbcUrl, String user, String password, TemplateSpec spec, ClassLoader loader) {
        AtomicReference<String> current = new AtomicReference<>();
        FluentConfiguration configuration = Flyway.configure(loader)
                .dataSource(jdbcUrl, user, password)
                .locations(spec.locations().toArray(String[]::new))
                .placeholders(spec.placeholders())
                .failOnMissingLocations(true)
                .callbacks(new ScriptTracker(current));
        // Flyway's default lock is a transaction-scoped advisory lock held open on a second connection to the database
        // being migrated; CREATE INDEX CONCURRENTLY waits for that transaction and hangs for ever (flyway#3682,
        // #3854). A session lock does not; and one builder at a time migrates a template anyway (TemplateBuilder).
        configuration
                .getPluginRegister()
                .getExact(PostgreSQLConfigurationExtension.class)
                .setTransactionalLock(false);
        Flyway flyway = configuration.load();
        try {
            MigrateResult result = flyway.migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new MigrationFailedException(current.get(), PasswordLiterals.scrub(e));
        }
    }

    /** Remembers the migration being applied, so a failure can name its file. */
    private record ScriptTracker(AtomicReference<String> current) implements Callback {

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            current.set(context.getMigrationInfo().getScript());
        }

        @Override
        public String getCallbackName() {
            return "isolatedpg-script-tracker";
        }
    }
}
