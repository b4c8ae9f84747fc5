package org.isolatedpg.core.internal.liquibase;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import liquibase.ChecksumVersion;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.UpdateSummaryEnum;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.change.Change;
import liquibase.change.custom.CustomChangeWrapper;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.ChangeExecListenerCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.precondition.Precondition;
import liquibase.precondition.core.PreconditionContainer;
import liquibase.resource.ResourceAccessor;
import liquibase.util.LiquibaseUtil;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.internal.source.BuildTarget;
import org.isolatedpg.core.internal.source.FingerprintInputs;
import org.isolatedpg.core.internal.source.Locations.LocatedFile;
import org.isolatedpg.core.internal.source.PasswordLiterals;
import org.isolatedpg.core.internal.source.SourceFailedException;
import org.isolatedpg.core.internal.source.TemplateSource;

/**
 * A template's Liquibase changelog. The only class, with its package, that sees Liquibase.
 *
 * <p>Its fingerprint is the changelog's location, the Liquibase version (which decides the SQL its changes generate),
 * the contexts, labels and changelog parameters, and every file Liquibase reads to learn what the changelog does:
 * the changelog is parsed with Liquibase's own parser through a resource accessor that records every resource opened
 * ({@link RecordingResourceAccessor}), and every changeset is asked for its checksum, which makes {@code sqlFile} and
 * {@code loadData} read their files; the recorded files then enter by name and bytes, sorted by name. So Liquibase
 * itself decides what an {@code include}, an {@code includeAll} or a relative path reaches, and a file it skips (one
 * an {@code includeAll} filter leaves out) does not count. The classes of custom changes enter as their class files.
 * System properties and environment variables, which Liquibase also offers as changelog parameters, do not.
 *
 * <p>Every Liquibase call runs in a scope and thread of its own ({@link LiquibaseScope}): quiet, without analytics,
 * and without touching a user's own use of Liquibase in the same JVM. Instances are immutable and may be used by
 * several threads at once.
 */
public final class LiquibaseSource implements TemplateSource {

    /**
     * One Liquibase update at a time in this JVM. Liquibase's {@code LockServiceFactory} is a JVM-wide singleton, not
     * a scope's, whose map of lock services is not thread-safe: two updates at once, on two databases and in two
     * scopes of their own, have left one database's changelog lock held after a successful update
     * (LiquibaseSourceTests.twoTemplatesBuildAtOnce, now and then). Two templates built from changelogs at the same
     * moment are rare; their updates now take turns.
     */
    private static final ReentrantLock ONE_UPDATE_AT_A_TIME = new ReentrantLock(true);

    private static final Duration UPDATE_WAIT = Duration.ofMinutes(10);

    private static final String KEY = ConfigKeys.LIQUIBASE_CHANGELOG;

    private final ChangelogLocation location;
    private final String contexts;
    private final String labels;
    private final Map<String, String> parameters;
    private final String origin;

    /**
     * @param changelog the master changelog: {@code classpath:db/changelog/db.changelog-master.yaml},
     *     {@code filesystem:path/to/master.xml}, or without a prefix, {@code classpath:}
     * @param contexts a Liquibase context expression; {@code ""} for none
     * @param labels a Liquibase label expression; {@code ""} for none
     * @param parameters changelog parameters ({@code ${name}}), never printed
     * @param origin where the changelog was named, for messages
     */
    public LiquibaseSource(
            String changelog, String contexts, String labels, Map<String, String> parameters, String origin) {
        this.location = ChangelogLocation.parse(changelog);
        this.contexts = contexts.strip();
        this.labels = labels.strip();
        this.parameters = Map.copyOf(parameters);
        this.origin = origin;
    }

    @Override
    public String stepNoun() {
        return "changeset";
    }

    @Override
    public String description() {
        return "Liquibase changelog " + location.location() + " (from " + origin + ")";
    }

    @Override
    public void fingerprint(FingerprintInputs inputs, ClassLoader loader) {
        requireChangelog(loader);
        Reading reading = read(loader);
        inputs.text("liquibase changelog " + location.location());
        inputs.text("liquibase version " + reading.version());
        inputs.text("liquibase contexts " + contexts);
        inputs.text("liquibase labels " + labels);
        new TreeMap<>(parameters).forEach((name, value) -> inputs.text("liquibase parameter " + name + "=" + value));
        for (LocatedFile file : reading.files()) {
            inputs.file(file.name(), file.content());
        }
    }

    @Override
    public int apply(BuildTarget target) {
        requireChangelog(target.loader());
        ChangesetTracker tracker = new ChangesetTracker();
        try {
            if (!ONE_UPDATE_AT_A_TIME.tryLock(UPDATE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new TimeoutException("another Liquibase update in this JVM did not finish within " + UPDATE_WAIT);
            }
            try {
                LiquibaseScope.run(
                        target.loader(), () -> location.accessor(target.loader()), () -> update(target, tracker));
            } finally {
                ONE_UPDATE_AT_A_TIME.unlock();
            }
            return tracker.ran();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceFailedException(tracker.failedStep().orElse(null), e);
        } catch (Exception e) {
            throw new SourceFailedException(tracker.failedStep().orElse(null), cause(e));
        }
    }

    /**
     * The changesets in the order they run, each a digest of its file, id, author, Liquibase checksum, contexts, labels
     * and dbms, and of this source's contexts, labels and parameters; empty when a changeset runs again on a database
     * that holds it ({@code runAlways}, {@code runOnChange}) or is a custom change, whose checksum does not cover its
     * code.
     */
    @Override
    public Optional<List<String>> appendOnlySteps(ClassLoader loader) {
        requireChangelog(loader);
        try {
            return LiquibaseScope.run(loader, () -> location.accessor(loader), () -> steps(parse()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            throw unreadable(e);
        }
    }

    private Integer update(BuildTarget target, ChangesetTracker tracker) throws Exception {
        Connection connection = target.connect();
        Database database = null;
        try {
            database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            new CommandScope(UpdateCommandStep.COMMAND_NAME)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                    .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, location.path())
                    .addArgumentValue(UpdateCommandStep.CONTEXTS_ARG, contexts)
                    .addArgumentValue(UpdateCommandStep.LABEL_FILTER_ARG, labels)
                    .addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_PARAMETERS, parameters(database))
                    .addArgumentValue(ChangeExecListenerCommandStep.CHANGE_EXEC_LISTENER_ARG, tracker)
                    .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY, UpdateSummaryEnum.OFF)
                    .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                    .setOutput(OutputStream.nullOutputStream())
                    .execute();
            return tracker.ran();
        } finally {
            if (database != null) {
                database.close(); // closes the connection, and drops Liquibase's executors for it
            } else {
                connection.close();
            }
        }
    }

    /** What Liquibase read of the changelog: its own version, and every file, sorted by name. */
    private record Reading(String version, List<LocatedFile> files) {}

    /** Every file the changelog reads, recorded while Liquibase parses it and computes every changeset's checksum. */
    private Reading read(ClassLoader loader) {
        AtomicReference<RecordingResourceAccessor> recorder = new AtomicReference<>();
        Supplier<ResourceAccessor> accessor = () -> {
            recorder.set(new RecordingResourceAccessor(location.accessor(loader)));
            return recorder.get();
        };
        try {
            return LiquibaseScope.run(loader, accessor, () -> {
                DatabaseChangeLog changelog = parse();
                List<LocatedFile> files = new ArrayList<>();
                TreeSet<String> customChanges = new TreeSet<>();
                for (ChangeSet changeSet : changelog.getChangeSets()) {
                    changeSet.generateCheckSum(ChecksumVersion.latest());
                    for (Change change : changeSet.getChanges()) {
                        if (change instanceof CustomChangeWrapper custom && custom.getClassName() != null) {
                            customChanges.add(custom.getClassName());
                        }
                    }
                }
                files.addAll(recorder.get().files());
                for (String className : customChanges) {
                    files.add(classFile(className, loader));
                }
                return new Reading(LiquibaseUtil.getBuildVersion(), files);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + description(), e);
        } catch (Exception e) {
            throw unreadable(e);
        }
    }

    /** Parses the changelog with the scope's resource accessor, as {@code update} would. */
    private DatabaseChangeLog parse() throws Exception {
        ResourceAccessor accessor = liquibase.Scope.getCurrentScope().getResourceAccessor();
        return ChangeLogParserFactory.getInstance()
                .getParser(location.path(), accessor)
                .parse(location.path(), parameters(null), accessor);
    }

    private ChangeLogParameters parameters(Database database) {
        ChangeLogParameters changeLogParameters = new ChangeLogParameters(database);
        changeLogParameters.setContexts(new Contexts(contexts));
        changeLogParameters.setLabels(new LabelExpression(labels));
        if (database == null) {
            changeLogParameters.setDatabase("postgresql");
        }
        parameters.forEach(changeLogParameters::set);
        return changeLogParameters;
    }

    /**
     * The changesets as steps, after a first one that stands for the Liquibase version (an upgrade may generate other
     * SQL, so a template it built is no base for another's). Each step names its changeset as {@code databasechangelog}
     * will know it applied (file path, id, author). Preconditions make no steps: checked again on top of an older
     * template, one skipped in a full build might run.
     */
    private Optional<List<String>> steps(DatabaseChangeLog changelog) {
        if (hasPreconditions(changelog.getPreconditions())) {
            return Optional.empty();
        }
        List<String> steps = new ArrayList<>();
        steps.add("liquibase " + LiquibaseUtil.getBuildVersion());
        for (ChangeSet changeSet : changelog.getChangeSets()) {
            if (changeSet.isAlwaysRun()
                    || changeSet.isRunOnChange()
                    || hasPreconditions(changeSet.getPreconditions())
                    || changeSet.getChanges().stream().anyMatch(CustomChangeWrapper.class::isInstance)) {
                return Optional.empty();
            }
            MessageDigest digest = FingerprintInputs.newSha256();
            FingerprintInputs step = new FingerprintInputs(digest);
            step.text(ChangesetTracker.step(changeSet));
            step.text("checksum " + changeSet.generateCheckSum(ChecksumVersion.latest()));
            step.text("contexts " + changeSet.getContextFilter() + " " + changeSet.getInheritableContextFilter());
            step.text("labels " + changeSet.getLabels() + " " + changeSet.getInheritableLabels());
            step.text("dbms " + (changeSet.getDbmsSet() == null ? "" : new TreeSet<>(changeSet.getDbmsSet())));
            step.text("liquibase contexts " + contexts);
            step.text("liquibase labels " + labels);
            new TreeMap<>(parameters).forEach((name, value) -> step.text("liquibase parameter " + name + "=" + value));
            steps.add(HexFormat.of().formatHex(digest.digest()));
        }
        return Optional.of(List.copyOf(steps));
    }

    /** Whether a container holds a precondition: the changelog's holds one (empty) container per included file. */
    private static boolean hasPreconditions(PreconditionContainer preconditions) {
        if (preconditions == null) {
            return false;
        }
        for (Precondition precondition : preconditions.getNestedPreconditions()) {
            if (!(precondition instanceof PreconditionContainer nested) || hasPreconditions(nested)) {
                return true;
            }
        }
        return false;
    }

    private static LocatedFile classFile(String className, ClassLoader loader) throws IOException {
        String name = className.replace('.', '/') + ".class";
        try (InputStream in = loader.getResourceAsStream(name)) {
            return new LocatedFile(name, in == null ? new byte[0] : in.readAllBytes());
        }
    }

    private void requireChangelog(ClassLoader loader) {
        if (!location.exists(loader)) {
            throw new InvalidConfigurationException("No Liquibase changelog at '" + location.location() + "' (from "
                    + origin + "). Check the changelog in '" + KEY + "' or @IsolatedPostgres(liquibase), and that it is"
                    + (location.directory() == null ? " on the test classpath." : " a file that exists."));
        }
    }

    private InvalidConfigurationException unreadable(Exception e) {
        Throwable cause = PasswordLiterals.scrub(e);
        return new InvalidConfigurationException(
                "Could not read " + description() + ": " + cause.getMessage() + ". Fix the changelog.", cause);
    }

    /** The SQLException behind a failure, when there is one, so its SQLSTATE can be classified; passwords redacted. */
    private static Throwable cause(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return PasswordLiterals.scrub(sql);
            }
        }
        return PasswordLiterals.scrub(failure);
    }
}
