package org.isolatedpg.core.internal.flyway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.internal.source.BuildTarget;
import org.isolatedpg.core.internal.source.FingerprintInputs;
import org.isolatedpg.core.internal.source.Locations;
import org.isolatedpg.core.internal.source.Locations.LocatedFile;
import org.isolatedpg.core.internal.source.PasswordLiterals;
import org.isolatedpg.core.internal.source.SourceFailedException;
import org.isolatedpg.core.internal.source.TemplateSource;

/**
 * A template's Flyway migrations. The only class that sees Flyway.
 *
 * <p>Its fingerprint is every file under the locations (name and bytes, sorted: Flyway merges its locations, so the
 * order they are found in does not count; Java migrations compiled into a location's package are files there too) and
 * the placeholders. Flyway's CRC32 checksums are not a cache key.
 */
public final class FlywaySource implements TemplateSource {

    /** Flyway's default naming of a versioned SQL migration: {@code V1.2__add_column.sql}. */
    private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__.*\\.sql");

    private final List<String> locations;
    private final Map<String, String> placeholders;
    private final String origin;

    /**
     * @param locations Flyway locations; one without a prefix is {@code classpath:}
     * @param placeholders Flyway placeholders, never printed
     * @param origin where the locations were named, for messages
     */
    public FlywaySource(List<String> locations, Map<String, String> placeholders, String origin) {
        this.locations = locations.stream().map(Locations::normalize).toList();
        this.placeholders = Map.copyOf(placeholders);
        this.origin = origin;
    }

    @Override
    public String description() {
        return "Flyway locations " + String.join(",", locations) + " (from " + origin + ")";
    }

    @Override
    public String stepNoun() {
        return "migration";
    }

    @Override
    public void fingerprint(FingerprintInputs inputs, ClassLoader loader) {
        new TreeMap<>(placeholders).forEach((name, value) -> inputs.text("placeholder " + name + "=" + value));
        files(loader).stream()
                .sorted(Comparator.comparing(file -> file.name() + "\0" + FingerprintInputs.sha256(file.content())))
                .forEach(file -> inputs.file(file.name(), file.content()));
    }

    @Override
    @SuppressWarnings("deprecation") // getPlugin: see below
    public int apply(BuildTarget target) {
        AtomicReference<String> current = new AtomicReference<>();
        FluentConfiguration configuration = Flyway.configure(target.loader())
                .dataSource(target.jdbcUrl(), target.user(), target.password())
                .locations(locations.toArray(String[]::new))
                .placeholders(placeholders)
                .failOnMissingLocations(true)
                .callbacks(new ScriptTracker(current));
        // Flyway's default lock is a transaction-scoped advisory lock held open on a second connection to the database
        // being migrated; CREATE INDEX CONCURRENTLY waits for that transaction and hangs for ever (flyway#3682,
        // #3854). A session lock does not; and one builder at a time migrates a template anyway (TemplateBuilder).
        // getPlugin (deprecated in 13), not getExact (absent from 11) nor a configuration property (Flyway 13 wants
        // Jackson for it): the
        // one way that works with every version Spring Boot 3.5 and 4.0 pick (see the version-tests module).
        configuration
                .getPluginRegister()
                .getPlugin(PostgreSQLConfigurationExtension.class)
                .setTransactionalLock(false);
        try {
            return configuration.load().migrate().migrationsExecuted;
        } catch (FlywayException e) {
            String script = current.get();
            throw new SourceFailedException(script == null ? null : "migration " + script, PasswordLiterals.scrub(e));
        }
    }

    /**
     * The versioned SQL migrations in version order, when they are all there is: a repeatable migration, a callback
     * or a Java migration would run in another order (or again) on top of an older template than in a full build.
     * A first step stands for the placeholders.
     */
    @Override
    public Optional<List<String>> appendOnlySteps(ClassLoader loader) {
        List<Versioned> migrations = new ArrayList<>();
        for (LocatedFile file : files(loader)) {
            String name = file.name().substring(file.name().lastIndexOf('/') + 1);
            Matcher matcher = VERSIONED.matcher(name);
            if (!matcher.matches()) {
                return Optional.empty();
            }
            migrations.add(new Versioned(MigrationVersion.parse(matcher.group(1)), name, file.content()));
        }
        List<String> steps = new ArrayList<>();
        steps.add("flyway placeholders " + new TreeMap<>(placeholders)); // they decide what every migration does
        migrations.stream()
                .sorted(Comparator.comparing(Versioned::version))
                .map(migration -> migration.name() + "\0" + FingerprintInputs.sha256(migration.content()))
                .forEach(steps::add);
        return Optional.of(List.copyOf(steps));
    }

    private record Versioned(MigrationVersion version, String name, byte[] content) {}

    /** Every file under the locations; a location that holds none is refused, naming it and where it came from. */
    private List<LocatedFile> files(ClassLoader loader) {
        List<LocatedFile> files = new ArrayList<>();
        for (String location : locations) {
            List<LocatedFile> found = Locations.read(location, loader);
            if (found.isEmpty()) {
                throw new InvalidConfigurationException("No migration files at '" + location + "' (from " + origin
                        + "). Check the location in '" + ConfigKeys.FLYWAY_LOCATIONS
                        + "' or @IsolatedPostgres(migrations), and that its files are on the test classpath.");
            }
            files.addAll(found);
        }
        return files;
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
