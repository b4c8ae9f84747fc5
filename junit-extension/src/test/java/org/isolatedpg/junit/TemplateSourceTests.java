package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.isolatedpg.junit.IsolatedPostgresTestKit.databaseName;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.TemplateBuildException;
import org.isolatedpg.core.TemplateInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The annotation's source attributes, through the extension: each named source builds the template it describes. */
class TemplateSourceTests {

    /** Test name → what the test saw: its database's name and the answer to its query. */
    static final Map<String, List<String>> SEEN = new ConcurrentHashMap<>();

    @Test
    void readsALocationWithoutPrefixAsClasspathAsFlywayDoes() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(UnprefixedTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(SEEN.get("unprefixed")).containsExactly("1");
    }

    @Test
    void buildsTheTemplateFromALiquibaseChangelog() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(LiquibaseTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(SEEN.get("liquibase")).isNotEmpty().containsOnly("2"); // the override test runs it too
    }

    @Test
    void buildsTheTemplateFromSqlScriptsInTheOrderNamed() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(ScriptsTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(SEEN.get("scripts")).containsExactly("3");
    }

    @Test
    void refusesAScriptLocationThatHoldsNothingNamingItAndTheAnnotation() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(MissingScriptTestCase.class);

        assertThat(IsolatedPostgresTestKit.failures(
                        results.testEvents().failed().list()))
                .singleElement(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("classpath:db/scripts/sead.sql")
                .hasMessageContaining("annotation on [" + MissingScriptTestCase.class.getName() + "]")
                .hasMessageContaining("isolatedpg.scripts")
                .cause()
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void refusesFlywayAndLiquibaseTogetherNamingBoth() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(BothToolsTestCase.class);

        assertThat(IsolatedPostgresTestKit.failures(
                        results.containerEvents().failed().list()))
                .singleElement(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("built by Flyway or by Liquibase, not both")
                .hasMessageContaining("'isolatedpg.flyway.locations' = db/library")
                .hasMessageContaining("'isolatedpg.liquibase.changelog' = db/changelog-library/master.yaml");
    }

    @Test
    void letsAnAnnotationNamingLiquibaseOverrideFlywayLocationsFromConfiguration() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(
                Map.of("isolatedpg.flyway.locations", "classpath:db/other"), LiquibaseTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void givesAnEmptyDatabaseOfItsOwnToEachTestWhenNoSourceIsNamedOrFound() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(NoSourceTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        assertThat(SEEN.get("no-source")).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void runsTheInitializerLastOnTheMigratedTemplate() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(InitializerTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        // the initializer ran on the template (once, in this JVM or an earlier run), not on each test's database
        assertThat(SeedBooks.RUNS).hasSizeLessThanOrEqualTo(1);
        assertThat(SEEN.get("initializer")).containsOnly("2");
    }

    @Test
    void refusesAnInitializerItCannotMakeNamingTheClassAndTheFix() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(HiddenInitializerTestCase.class);

        assertThat(IsolatedPostgresTestKit.failures(
                        results.testEvents().failed().list()))
                .singleElement(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("'" + HiddenInitializer.class.getName() + "'")
                .hasMessageContaining("has no public no-argument constructor")
                .hasMessageContaining("@IsolatedPostgres(initializer)")
                .cause()
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void failsTheBuildOfAnInitializerThatLeavesAConnectionOpenNamingItOnceForAll() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(LeakyInitializerTestCase.class);

        List<Throwable> failures =
                IsolatedPostgresTestKit.failures(results.testEvents().failed().list());
        assertThat(failures)
                .hasSize(2)
                .allSatisfy(failure -> assertThat(failure)
                        .isInstanceOf(ParameterResolutionException.class)
                        .hasMessageContaining(LeakyInitializer.class.getName() + " left 1 connection(s) open")
                        .cause()
                        .isInstanceOf(TemplateBuildException.class));
        assertThat(failures.stream().map(Throwable::getCause).distinct()).hasSize(1); // remembered, not retried
    }

    @Test
    void sharesOneChildTemplateBetweenClassesWithTheSameBaseAndFixtures() {
        EngineExecutionResults results =
                IsolatedPostgresTestKit.execute(FixturesTestCase.class, SameFixturesTestCase.class, BaseTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
        assertThat(SEEN.get("fixtures")).containsExactly("3");
        assertThat(SEEN.get("same-fixtures")).containsExactly("3");
        // clones are named ipg_<template id>_…: one child template for both classes, another than the base's
        assertThat(templateId(SEEN.get("fixtures-database").get(0)))
                .isEqualTo(templateId(SEEN.get("same-fixtures-database").get(0)))
                .isNotEqualTo(templateId(SEEN.get("base-database").get(0)));
    }

    private static String templateId(String cloneName) {
        return cloneName.split("_")[1];
    }

    static void see(String key, DataSource dataSource, String query) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            SEEN.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(rows.getString(1));
            SEEN.computeIfAbsent(key + "-database", k -> new CopyOnWriteArrayList<>())
                    .add(databaseName(connection));
        }
    }

    @IsolatedPostgres(migrations = "db/library")
    static class UnprefixedTestCase {

        @Test
        void hasTheMigratedTable(DataSource dataSource) throws SQLException {
            see("unprefixed", dataSource, "SELECT count(*) FROM book");
        }
    }

    @IsolatedPostgres(liquibase = "db/changelog-library/master.yaml")
    static class LiquibaseTestCase {

        @Test
        void hasTheChangelogsTablesAndData(DataSource dataSource) throws SQLException {
            see("liquibase", dataSource, "SELECT count(*) FROM book");
        }
    }

    @IsolatedPostgres(scripts = {"db/scripts/schema.sql", "classpath:db/scripts/seed.sql"})
    static class ScriptsTestCase {

        @Test
        void hasTheScriptsTablesAndData(DataSource dataSource) throws SQLException {
            see("scripts", dataSource, "SELECT book_count()");
        }
    }

    @IsolatedPostgres(scripts = {"db/scripts/schema.sql", "db/scripts/sead.sql"})
    static class MissingScriptTestCase {

        @Test
        void neverRuns(DataSource dataSource) {}
    }

    @IsolatedPostgres(migrations = "db/library", liquibase = "db/changelog-library/master.yaml")
    static class BothToolsTestCase {

        @Test
        void neverRuns(DataSource dataSource) {}
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    static class BaseTestCase {

        @Test
        void hasTheMigratedTable(DataSource dataSource) throws SQLException {
            see("base", dataSource, "SELECT count(*) FROM book");
        }
    }

    @IsolatedPostgres
    static class NoSourceTestCase {

        @Test
        void first(DataSource dataSource) throws SQLException {
            assertEmpty(dataSource);
        }

        @Test
        void second(DataSource dataSource) throws SQLException {
            assertEmpty(dataSource);
        }

        private static void assertEmpty(DataSource dataSource) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_class c"
                            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                            + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
                SEEN.computeIfAbsent("no-source", k -> new CopyOnWriteArrayList<>())
                        .add(databaseName(connection));
            }
        }
    }

    /** Adds a book through plain JDBC, as Hibernate's or jOOQ's schema tools would through the data source. */
    public static class SeedBooks implements TemplateInitializer {

        static final List<String> RUNS = new CopyOnWriteArrayList<>();

        @Override
        public void initialize(DataSource dataSource) throws SQLException {
            RUNS.add(databaseNameOf(dataSource));
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO book (isbn, title) VALUES ('978-1617294945', 'Spring in Action')");
            }
        }

        @Override
        public String version() {
            return "1";
        }

        private static String databaseNameOf(DataSource dataSource) throws SQLException {
            return databaseName(dataSource);
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library", initializer = SeedBooks.class)
    static class InitializerTestCase {

        @Test
        void first(DataSource dataSource) throws SQLException {
            see("initializer", dataSource, "SELECT count(*) FROM book");
        }

        @Test
        void second(DataSource dataSource) throws SQLException {
            see("initializer", dataSource, "SELECT count(*) FROM book");
        }
    }

    /** Opens a connection and forgets it, as a Hibernate SessionFactory left open would. */
    public static class LeakyInitializer implements TemplateInitializer {

        @Override
        public void initialize(DataSource dataSource) throws SQLException {
            dataSource.getConnection().createStatement().execute("CREATE TABLE leaked (id int)");
        }

        @Override
        public String version() {
            return "leaky-1";
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library", initializer = LeakyInitializer.class)
    static class LeakyInitializerTestCase {

        @Test
        void first(DataSource dataSource) {}

        @Test
        void second(DataSource dataSource) {}
    }

    /** Not public: isolated-postgres cannot make one. */
    static class HiddenInitializer implements TemplateInitializer {

        @Override
        public void initialize(DataSource dataSource) {}
    }

    @IsolatedPostgres(migrations = "classpath:db/library", initializer = HiddenInitializer.class)
    static class HiddenInitializerTestCase {

        @Test
        void neverRuns(DataSource dataSource) {}
    }

    @IsolatedPostgres(migrations = "classpath:db/library", fixtures = "db/fixtures/more-books.sql")
    static class FixturesTestCase {

        @Test
        void seesTheFixtures(DataSource dataSource) throws SQLException {
            see("fixtures", dataSource, "SELECT count(*) FROM book");
        }
    }

    @IsolatedPostgres(migrations = "db/library", fixtures = "classpath:db/fixtures/more-books.sql")
    static class SameFixturesTestCase {

        @Test
        void seesTheFixtures(DataSource dataSource) throws SQLException {
            see("same-fixtures", dataSource, "SELECT count(*) FROM book");
        }
    }
}
