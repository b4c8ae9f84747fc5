package org.isolatedpg.core.internal.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import liquibase.Scope;
import org.isolatedpg.core.AdminAccess;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.SharedServers;
import org.isolatedpg.core.internal.source.BuildTarget;
import org.isolatedpg.core.internal.source.FingerprintInputs;
import org.isolatedpg.core.internal.source.SourceFailedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@link LiquibaseSource} applied to scratch databases on the embedded server. */
@ResourceLock(SharedServers.EMBEDDED_DEFAULT)
class LiquibaseSourceTests {

    private static final ClassLoader LOADER = LiquibaseSourceTests.class.getClassLoader();

    private static AdminAccess admin;

    @BeforeAll
    static void startServer() {
        admin = AdminAccess.embedded();
    }

    @AfterAll
    static void stopServer() {
        admin.close();
    }

    @Test
    void appliesEveryFormatIncludeAndFilterOfAChangelog() throws SQLException {
        try (ScratchDatabase database = ScratchDatabase.create(admin)) {
            int ran = AppChangelog.source().apply(database.target(LOADER));

            assertThat(ran).isEqualTo(8);
            AppChangelog.assertBuilt(database);
            assertThat(database.string("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND pid <> pg_backend_pid()"))
                    .as("connections Liquibase left open")
                    .isEqualTo("0");
        }
    }

    @Test
    void otherContextsAndLabelsSelectOtherChangesets() throws SQLException {
        LiquibaseSource prod =
                new LiquibaseSource(AppChangelog.MASTER, "prod", "", AppChangelog.PARAMETERS, "test [prod]");
        try (ScratchDatabase database = ScratchDatabase.create(admin)) {
            assertThat(prod.apply(database.target(LOADER))).isEqualTo(9);

            assertThat(database.strings("SELECT name FROM customer")).containsExactly("Prod Only");
            assertThat(database.strings("SELECT column_name FROM information_schema.columns"
                            + " WHERE table_name = 'customer' AND column_name = 'nickname'"))
                    .hasSize(1);
        }
    }

    @Test
    void appliesOnlyTheNewChangesetsToADatabaseBuiltFromAPrefix(@TempDir Path root) throws Exception {
        AppChangelog.copyTo(root);
        Path index = root.resolve("liquibase/app/later/020-order-index.xml");
        byte[] indexChangelog = Files.readAllBytes(index);
        Files.delete(index);
        try (URLClassLoader loader = AppChangelog.loaderOf(root);
                ScratchDatabase database = ScratchDatabase.create(admin)) {
            LiquibaseSource source = AppChangelog.source();
            List<String> before = source.appendOnlySteps(loader).orElseThrow();
            assertThat(source.apply(database.target(loader))).isEqualTo(7);

            Files.write(index, indexChangelog);
            List<String> after = source.appendOnlySteps(loader).orElseThrow();
            int ran = source.apply(database.target(loader));

            // Liquibase's version, then every changeset, those the contexts and labels leave out too: 1 + 9, then 1 +
            // 10.
            assertThat(before).hasSize(10);
            assertThat(after).hasSize(11).startsWith(before.toArray(String[]::new));
            assertThat(ran).isEqualTo(1);
            AppChangelog.assertBuilt(database);
        }
    }

    @Test
    void aFailingChangesetIsNamedWithTheSqlStateOfItsFailure() throws SQLException {
        LiquibaseSource source =
                new LiquibaseSource("liquibase/failing/master.yaml", "", "", Map.of(), "test [aFailingChangeset]");
        try (ScratchDatabase database = ScratchDatabase.create(admin)) {
            SourceFailedException failure =
                    catchThrowableOfType(SourceFailedException.class, () -> source.apply(database.target(LOADER)));

            assertThat(failure.step()).contains("changeset liquibase/failing/master.yaml::widget-again::erin");
            assertThat(failure.getCause()).isInstanceOf(SQLException.class);
            assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("42P07");
            assertThat(failure).hasMessageContaining("\"widget\" already exists");
            assertThat(database.strings("SELECT id FROM databasechangelog")).containsExactly("widget");
            assertThat(database.string("SELECT count(*) FROM databasechangeloglock WHERE locked"))
                    .isEqualTo("0");
        }
    }

    @Test
    void aPasswordInAFailingStatementStaysOutOfTheFailure() throws SQLException {
        LiquibaseSource source =
                new LiquibaseSource("classpath:liquibase/failing/secret.yaml", "", "", Map.of(), "test [secret]");
        try (ScratchDatabase database = ScratchDatabase.create(admin)) {
            SourceFailedException failure =
                    catchThrowableOfType(SourceFailedException.class, () -> source.apply(database.target(LOADER)));

            assertThat(failure.step()).contains("changeset liquibase/failing/secret.yaml::reader-role::erin");
            assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("42601");
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(t.getMessage()).doesNotContain("hunter2");
            }
        }
    }

    @Test
    void aMissingChangelogIsRefusedNamingWhereItWasNamedAndTheFix() {
        LiquibaseSource source = new LiquibaseSource(
                "db/changelog/nothing-here.yaml", "", "", Map.of(), "annotation on [com.x.FooTests]");

        InvalidConfigurationException onApply = catchThrowableOfType(
                InvalidConfigurationException.class,
                () -> source.apply(new BuildTarget("jdbc:postgresql://127.0.0.1:1/none", "nobody", "", LOADER)));
        InvalidConfigurationException onFingerprint = catchThrowableOfType(
                InvalidConfigurationException.class,
                () -> source.fingerprint(new FingerprintInputs(FingerprintInputs.newSha256()), LOADER));

        assertThat(onFingerprint).hasMessage(onApply.getMessage());
        assertThat(onApply)
                .hasMessage("No Liquibase changelog at 'classpath:db/changelog/nothing-here.yaml' (from annotation on"
                        + " [com.x.FooTests]). Check the changelog in 'isolatedpg.liquibase.changelog' or"
                        + " @IsolatedPostgres(liquibase), and that it is on the test classpath.");
    }

    @Test
    void appliesAChangelogInTheFileSystem(@TempDir Path root) throws SQLException {
        AppChangelog.copyTo(root);
        LiquibaseSource source =
                AppChangelog.source("filesystem:" + root.resolve("liquibase/app/db.changelog-master.yaml"));
        try (ScratchDatabase database = ScratchDatabase.create(admin)) {
            assertThat(source.apply(database.target(LOADER))).isEqualTo(8);

            // Relative to the changelog's folder; the XML one by its classpath path, found on the class path.
            assertThat(database.strings("SELECT DISTINCT filename FROM databasechangelog ORDER BY 1"))
                    .containsExactly(
                            "changes/002-data.json",
                            "changes/003-reports.sql",
                            "later/010-orders.yaml",
                            "later/020-order-index.xml",
                            "liquibase/app/changes/001-schema.xml");
            assertThat(database.strings("SELECT name FROM customer")).containsExactly("Dev Demo");
        }
    }

    @Test
    void twoTemplatesBuildAtOnce() throws Exception {
        try (ScratchDatabase first = ScratchDatabase.create(admin);
                ScratchDatabase second = ScratchDatabase.create(admin)) {
            CompletableFuture<Integer> one =
                    CompletableFuture.supplyAsync(() -> AppChangelog.source().apply(first.target(LOADER)));
            CompletableFuture<Integer> other =
                    CompletableFuture.supplyAsync(() -> AppChangelog.source().apply(second.target(LOADER)));

            assertThat(one.get()).isEqualTo(8);
            assertThat(other.get()).isEqualTo(8);
            AppChangelog.assertBuilt(first);
            AppChangelog.assertBuilt(second);
        }
    }

    @Test
    void leavesNoSettingInTheCallersLiquibaseScope() throws SQLException {
        try (ScratchDatabase database = ScratchDatabase.create(admin)) {
            AppChangelog.source().apply(database.target(LOADER));
        }

        Scope scope = Scope.getCurrentScope();
        assertThat(scope.get("liquibase.analytics.enabled", Boolean.class)).isNull();
        assertThat(scope.get(Scope.Attr.logService.name(), Object.class)).isNotInstanceOf(Slf4jLogService.class);
        assertThat(scope.getParent()).isNull();
    }

    @Test
    void aMissingFileSystemChangelogIsRefusedToo(@TempDir Path root) {
        String changelog = "filesystem:" + root.resolve("master.xml");
        LiquibaseSource source = new LiquibaseSource(changelog, "", "", Map.of(), "configuration parameter");

        assertThat(catchThrowableOfType(
                        InvalidConfigurationException.class,
                        () -> source.fingerprint(new FingerprintInputs(FingerprintInputs.newSha256()), LOADER)))
                .hasMessage("No Liquibase changelog at '" + changelog + "' (from configuration parameter). Check the"
                        + " changelog in 'isolatedpg.liquibase.changelog' or @IsolatedPostgres(liquibase), and that it"
                        + " is a file that exists.");
    }

    @Test
    void describesItselfWithWhereItWasNamed() {
        assertThat(new LiquibaseSource("db/changelog/master.xml", "", "", Map.of(), "annotation on [com.x.FooTests]")
                        .description())
                .isEqualTo(
                        "Liquibase changelog classpath:db/changelog/master.xml (from annotation on [com.x.FooTests])");
    }
}
