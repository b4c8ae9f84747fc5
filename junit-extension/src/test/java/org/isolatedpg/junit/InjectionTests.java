package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.isolatedpg.junit.IsolatedPostgresTestKit.databaseName;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.isolatedpg.core.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

class InjectionTests {

    /** Test name → the database each injection point of that test saw, in order. */
    static final Map<String, List<String>> SEEN = new ConcurrentHashMap<>();

    @Test
    void injectsTheSameDatabaseIntoConstructorBeforeEachTestAndAfterEach() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(EveryPlaceTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        assertThat(SEEN.get("every-place-first"))
                .hasSize(5)
                .containsOnly(SEEN.get("every-place-first").get(0));
        assertThat(SEEN.get("every-place-second"))
                .hasSize(5)
                .containsOnly(SEEN.get("every-place-second").get(0));
        assertThat(SEEN.get("every-place-first").get(0))
                .isNotEqualTo(SEEN.get("every-place-second").get(0));
    }

    @Test
    void givesEveryTestMethodAndInvocationItsOwnMigratedDatabaseInBothLifecycles() {
        EngineExecutionResults results =
                IsolatedPostgresTestKit.execute(PerMethodTestCase.class, PerClassLifecycleTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(6).succeeded(6));
        assertThat(SEEN.get("per-method")).hasSize(3).doesNotHaveDuplicates();
        assertThat(SEEN.get("per-class-lifecycle")).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void findsTheAnnotationOnEnclosingSuperAndMetaAnnotatedClasses() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(
                EnclosingTestCase.class, InheritingTestCase.class, MetaAnnotatedTestCase.class);

        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
    }

    @Test
    void publishesTheDatabaseNameAsAReportEntry() {
        EngineExecutionResults results = IsolatedPostgresTestKit.execute(MetaAnnotatedTestCase.class);

        assertThat(results.allEvents().reportingEntryPublished().stream()
                        .map(event -> event.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class))
                        .map(entry -> entry.getKeyValuePairs().get("isolatedpg.database")))
                .singleElement()
                .asString()
                .startsWith("ipg_");
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    static class EveryPlaceTestCase {

        private final String fromConstructor;
        private String fromBeforeEach;

        EveryPlaceTestCase(DataSource dataSource) throws SQLException {
            fromConstructor = databaseName(dataSource);
        }

        @BeforeEach
        void setUp(TestDatabase database) {
            fromBeforeEach = database.name();
        }

        @Test
        void first(DataSource dataSource, TestDatabase database) throws SQLException {
            record("every-place-first", dataSource, database);
        }

        @Test
        void second(DataSource dataSource, TestDatabase database) throws SQLException {
            record("every-place-second", dataSource, database);
        }

        private void record(String test, DataSource dataSource, TestDatabase database) throws SQLException {
            SEEN.put(
                    test,
                    new java.util.concurrent.CopyOnWriteArrayList<>(
                            List.of(fromConstructor, fromBeforeEach, databaseName(dataSource), database.name())));
            currentTest = test;
        }

        private String currentTest;

        @AfterEach
        void tearDown(DataSource dataSource) throws SQLException {
            SEEN.get(currentTest).add(databaseName(dataSource));
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    static class PerMethodTestCase {

        @Test
        void first(DataSource dataSource) throws SQLException {
            insertsAndSeesOnlyItsOwnMarker(dataSource, "per-method");
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void invocations(int invocation, DataSource dataSource) throws SQLException {
            insertsAndSeesOnlyItsOwnMarker(dataSource, "per-method");
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library", isolation = Isolation.PER_METHOD)
    @TestInstance(Lifecycle.PER_CLASS)
    static class PerClassLifecycleTestCase {

        @Test
        void first(DataSource dataSource) throws SQLException {
            insertsAndSeesOnlyItsOwnMarker(dataSource, "per-class-lifecycle");
        }

        @Test
        void second(DataSource dataSource) throws SQLException {
            insertsAndSeesOnlyItsOwnMarker(dataSource, "per-class-lifecycle");
        }

        @Test
        void third(DataSource dataSource) throws SQLException {
            insertsAndSeesOnlyItsOwnMarker(dataSource, "per-class-lifecycle");
        }
    }

    static void insertsAndSeesOnlyItsOwnMarker(DataSource dataSource, String group) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO marker (owner) VALUES ('" + group + "')");
            try (var rows = statement.executeQuery("SELECT count(*), (SELECT count(*) FROM book) FROM marker")) {
                rows.next();
                assertThat(rows.getInt(1)).as("markers").isEqualTo(1);
                assertThat(rows.getInt(2)).as("seeded books").isEqualTo(1);
            }
            SEEN.computeIfAbsent(group, key -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(databaseName(connection));
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    static class EnclosingTestCase {

        @Nested
        class InnerTests {

            @Test
            void getsADatabaseFromTheEnclosingClassesAnnotation(DataSource dataSource) throws SQLException {
                insertsAndSeesOnlyItsOwnMarker(dataSource, "nested");
            }
        }
    }

    @IsolatedPostgres(migrations = "classpath:db/library")
    abstract static class AnnotatedBaseTestCase {}

    static class InheritingTestCase extends AnnotatedBaseTestCase {

        @Test
        void getsADatabaseFromTheSuperclassesAnnotation(DataSource dataSource) throws SQLException {
            insertsAndSeesOnlyItsOwnMarker(dataSource, "inherited");
        }
    }

    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @IsolatedPostgres(migrations = "classpath:db/other")
    @interface OtherDatabase {}

    @OtherDatabase
    static class MetaAnnotatedTestCase {

        @Test
        void getsTheMetaAnnotationsMigrations(DataSource dataSource) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO other (id) VALUES (1)");
            }
        }
    }
}
